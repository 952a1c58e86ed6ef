"""Settings, errors and the backend registry shared by every shopgen package."""
