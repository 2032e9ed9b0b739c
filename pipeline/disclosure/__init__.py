"""Disclosure control over linked tables: a generic linear-table model, an attacker's LP
audit (audit.py) that trusts nothing, and complementary suppression (complementary.py).

The DTSEN-specific part (which published cells are linked how) is in model.py.
"""
