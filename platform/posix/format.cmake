# Further files of the pure crontab format layer.
