# Further files of the pure crontab format layer.
target_sources(omnicron_posix_format PRIVATE crontab_text.cc)
