#include "windows/com.h"

#include <climits>

#include <fmt/format.h>

namespace omnicron::windows {

std::wstring to_utf16(std::string_view utf8) {
  if (utf8.empty()) return {};
  if (utf8.size() > INT_MAX) throw Error(ErrorKind::internal, "text too long for UTF-16");
  const int size = static_cast<int>(utf8.size());
  const int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), size, nullptr, 0);
  if (n <= 0) throw Error(ErrorKind::internal, "text is not valid UTF-8");
  std::wstring out(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), size, out.data(), n);
  return out;
}

std::string to_utf8(std::wstring_view utf16) {
  if (utf16.empty()) return {};
  if (utf16.size() > INT_MAX) throw Error(ErrorKind::internal, "text too long for UTF-8");
  const int size = static_cast<int>(utf16.size());
  const int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, utf16.data(), size, nullptr, 0,
                                    nullptr, nullptr);
  if (n <= 0) throw Error(ErrorKind::internal, "text is not valid UTF-16");
  std::string out(static_cast<size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, utf16.data(), size, out.data(), n, nullptr,
                      nullptr);
  return out;
}

std::string hresult_text(HRESULT hr) {
  wchar_t* buffer = nullptr;
  const DWORD n = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, static_cast<DWORD>(hr), 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  std::wstring text(buffer ? buffer : L"", n);
  if (buffer) LocalFree(buffer);
  while (!text.empty() && (text.back() == L'\n' || text.back() == L'\r' || text.back() == L' '))
    text.pop_back();
  std::string out = text.empty() ? std::string("unknown error") : to_utf8(text);
  return fmt::format("{} (HRESULT 0x{:08X})", out, static_cast<unsigned long>(hr));
}

HRESULT check(HRESULT hr, std::string_view call, std::string_view object) {
  if (SUCCEEDED(hr)) return hr;
  std::string message(call);
  if (!object.empty()) message += fmt::format(": {}", object);
  Error error(ErrorKind::backend, std::move(message));
  error.with_native(static_cast<long long>(static_cast<unsigned long>(hr)), hresult_text(hr));
  throw error;
}

ComApartment::ComApartment() {
  const HRESULT hr = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
  // RPC_E_CHANGED_MODE: the thread is in a single-threaded apartment
  // already, which works as well; its owner uninitializes it.
  if (hr == RPC_E_CHANGED_MODE) return;
  check(hr, "starting COM (CoInitializeEx)", "");
  initialized_ = true;
}

ComApartment::~ComApartment() {
  if (initialized_) CoUninitialize();
}

Bstr::Bstr(std::string_view utf8) {
  const std::wstring wide = to_utf16(utf8);
  b_ = SysAllocStringLen(wide.data(), static_cast<UINT>(wide.size()));
  if (!b_) throw Error(ErrorKind::internal, "out of memory for a BSTR");
}

std::string Bstr::to_utf8() const {
  if (!b_) return {};
  return windows::to_utf8(std::wstring_view(b_, SysStringLen(b_)));
}

Variant::Variant(std::string_view utf8) {
  VariantInit(&v_);
  Bstr text(utf8);
  v_.vt = VT_BSTR;
  v_.bstrVal = text.release();
}

}  // namespace omnicron::windows
