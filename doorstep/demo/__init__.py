"""The generated demo: a seeded, clearly fictional Shenzhen loan book imported through the real importer."""
