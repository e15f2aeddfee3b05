# omnicron.exe end to end under Wine. Empty until the command line is built
# for Windows.
