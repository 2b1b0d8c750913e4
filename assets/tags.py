"""Run tags veille sets: they name the process running a job in-process (`veille run`)."""

PID_TAG = "veille/pid"
HOST_TAG = "veille/host"
