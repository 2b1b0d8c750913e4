"""Run tags veille sets: the `veille run` process that runs a job or drives its executor."""

PID_TAG = "veille/pid"
HOST_TAG = "veille/host"
