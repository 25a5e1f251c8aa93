"""Ports: what the gate and the delivery worker need from the outside world, one module per boundary."""
