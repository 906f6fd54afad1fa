"""Test doubles for what lies around a model, never stand-ins for one: a recorded-response LM (replay.py),
an OpenAI-compatible server answering from a recorded run (recorded_server.py), and an engine that injects
transport and output faults at a set rate (faulty_engine.py). They serve the tests, the fault and load
benchmarks and `--lm replay:TRACE`; they can only say again what a real model said."""
