"""The golden mosaics file and the script that writes it."""
