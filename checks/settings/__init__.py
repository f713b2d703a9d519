"""What a UrBackup setting is: its catalogue entry, its values, where the screen shows it."""
