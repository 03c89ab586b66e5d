"""Fidelity rules for stacks that moto gets wrong, each in a module of its own; fault_proxy.py
calls ``after`` with every answer from moto (test code only)."""

from __future__ import annotations

import stack_encryption_rule
import stack_parameter_rule


def after(state, call, reply) -> None:
    stack_encryption_rule.after(state, call, reply)
    stack_parameter_rule.after(state, call, reply)
