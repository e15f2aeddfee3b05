# Further crontab format tests.
