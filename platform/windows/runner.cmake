# The runner (`omnicron.exe exec`) on Windows: processes in a job object,
# log files, locks and history. Empty until it is built.
