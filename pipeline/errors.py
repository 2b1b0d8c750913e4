"""Errors a user can act on: the CLI prints them on one line and exits with code 2."""


class UserError(Exception):
    """Bad input from the user (dates, files, paths): reported plainly, nothing written."""
