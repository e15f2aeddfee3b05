# The crontab I/O layer (target omnicron_posix_io).
