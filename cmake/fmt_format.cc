// fmt's implementation, compiled once for the builds that link fmt
// statically. Debian ships fmt 9.1.0 as headers and a shared library only,
// and the Windows build has no fmt library at all; header-only fmt instead
// compiles this same implementation into every file that includes
// <fmt/format.h> (about 10 s a file in the sanitizer build).
//
// Written by hand because Debian does not ship fmt's own src/format.cc: it
// is that file's job, for fmt 9.1: format-inl.h gives the definitions
// (FMT_FUNC, not inline without FMT_HEADER_ONLY), and the templates that
// format.h and core.h declare but leave to the library are instantiated
// here. A missing one is a link error, never a silent difference.
#include <fmt/format-inl.h>

#if FMT_VERSION / 100 != 901
#error "cmake/fmt_format.cc instantiates what fmt 9.1 leaves to its library; check it against this fmt's src/format.cc"
#endif

FMT_BEGIN_NAMESPACE
namespace detail {

template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;

#ifndef FMT_STATIC_THOUSANDS_SEPARATOR
template FMT_API locale_ref::locale_ref(const std::locale& loc);
template FMT_API auto locale_ref::get<std::locale>() const -> std::locale;
#endif

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
template FMT_API void vformat_to(buffer<char>&, string_view,
                                 basic_format_args<FMT_BUFFER_CONTEXT(char)>, locale_ref);

template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<wchar_t>;
template FMT_API auto decimal_point_impl(locale_ref) -> wchar_t;
template FMT_API void buffer<wchar_t>::append(const wchar_t*, const wchar_t*);

}  // namespace detail
FMT_END_NAMESPACE
