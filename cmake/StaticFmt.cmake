# fmt for the builds that link it statically (the release build and the
# Windows build): fmt's headers, and its implementation compiled once into a
# static library; cmake/fmt_format.cc says why. Third-party code, so none of
# omnicron's warning flags.
add_library(omnicron_fmt STATIC ${CMAKE_CURRENT_LIST_DIR}/fmt_format.cc)
