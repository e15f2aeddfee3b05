#pragma once

// Boost.Process v2 as Boost 1.81 ships it, built against std::filesystem
// (BOOST_PROCESS_USE_STD_FS, set by io.cmake). In that mode 1.81's headers
// use boost::optional, boost::is_constructible and boost::remove_pointer
// without including them (they are only pulled in by Boost.Filesystem), so
// they are included here first. Include Boost.Process only through this
// header.
#include <boost/optional.hpp>
#include <boost/type_traits/is_constructible.hpp>
#include <boost/type_traits/remove_pointer.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/stdio.hpp>
