"""Persistence: the RDB object format (DUMP/RESTORE now, RDB files later) and AOF.

crc64.py   the CRC-64/Jones checksum that seals payloads and RDB files
rdb.py     serializing a value to RDB version 10 bytes and loading it back,
           validating every byte of untrusted input
"""
