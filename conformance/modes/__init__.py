"""One folder per way the platform runs an image. Each registers a registry.ModeSpec in its
__init__: its settings (settings.py, a config.ModeSettings), how they are built from the
resolved options, its driver, and the options only it takes. registry.load imports them
all; nothing else names a mode."""
