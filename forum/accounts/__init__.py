"""Accounts: registration, login, profiles, roles, privacy."""
