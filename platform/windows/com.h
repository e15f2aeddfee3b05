#pragma once

// RAII for COM: the apartment, interface pointers, BSTR and VARIANT, and the
// one place an HRESULT becomes omnicron's Error. Only what the Task Scheduler
// backend uses; nothing here knows about tasks.

#include <windows.h>

#include <objbase.h>
#include <oleauto.h>

#include <string>
#include <string_view>
#include <utility>

#include "error.h"

namespace omnicron::windows {

// "The system cannot find the file specified": a task that does not exist.
inline constexpr HRESULT kFileNotFound = static_cast<HRESULT>(0x80070002);
// "The system cannot find the path specified": a folder that does not exist.
inline constexpr HRESULT kPathNotFound = static_cast<HRESULT>(0x80070003);
// "Cannot create a file when that file already exists."
inline constexpr HRESULT kAlreadyExists = static_cast<HRESULT>(0x800700B7);
// "The directory is not empty."
inline constexpr HRESULT kDirectoryNotEmpty = static_cast<HRESULT>(0x80070091);

// Task Scheduler answers "not found" with either code, depending on whether
// the task or a folder on its path is missing.
inline bool is_not_found(HRESULT hr) { return hr == kFileNotFound || hr == kPathNotFound; }

// UTF-8 to UTF-16 and back. Throws Error (internal) for invalid input.
std::wstring to_utf16(std::string_view utf8);
std::string to_utf8(std::wstring_view utf16);

// The system's text for an HRESULT (FormatMessageW), without the trailing
// newline, followed by the code in hex as Microsoft's documents spell it:
// "The system cannot find the file specified. (HRESULT 0x80070002)".
std::string hresult_text(HRESULT hr);

// Throws Error (backend) "CALL: OBJECT" with the HRESULT and its text when
// `hr` is a failure; returns `hr` (S_OK, S_FALSE, ...) otherwise.
HRESULT check(HRESULT hr, std::string_view call, std::string_view object);

// The calling thread's COM apartment (multithreaded), for as long as this
// lives. A thread already in a single-threaded apartment keeps it.
class ComApartment {
 public:
  ComApartment();
  ~ComApartment();
  ComApartment(const ComApartment&) = delete;
  ComApartment& operator=(const ComApartment&) = delete;

 private:
  bool initialized_ = false;
};

// An owned interface pointer: Release()d once, when it goes.
template <class T>
class ComPtr {
 public:
  ComPtr() = default;
  ~ComPtr() { reset(); }
  ComPtr(const ComPtr& other) : p_(other.p_) {
    if (p_) p_->AddRef();
  }
  ComPtr(ComPtr&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  ComPtr& operator=(ComPtr other) noexcept {
    std::swap(p_, other.p_);
    return *this;
  }

  T* get() const { return p_; }
  T* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  // For an out-parameter: releases what was held.
  T** put() {
    reset();
    return &p_;
  }
  void** put_void() { return reinterpret_cast<void**>(put()); }
  void reset() {
    if (p_) std::exchange(p_, nullptr)->Release();
  }

 private:
  T* p_ = nullptr;
};

// An owned BSTR (UTF-16, length-prefixed), freed once.
class Bstr {
 public:
  Bstr() = default;
  explicit Bstr(std::string_view utf8);
  ~Bstr() { reset(); }
  Bstr(const Bstr&) = delete;
  Bstr& operator=(const Bstr&) = delete;
  Bstr(Bstr&& other) noexcept : b_(std::exchange(other.b_, nullptr)) {}
  Bstr& operator=(Bstr&& other) noexcept {
    std::swap(b_, other.b_);
    return *this;
  }

  BSTR get() const { return b_; }
  BSTR* put() {
    reset();
    return &b_;
  }
  // Hands the string to a new owner (a VARIANT).
  BSTR release() { return std::exchange(b_, nullptr); }
  void reset() {
    if (b_) SysFreeString(std::exchange(b_, nullptr));
  }
  std::string to_utf8() const;

 private:
  BSTR b_ = nullptr;
};

// An owned VARIANT, cleared once. Default: VT_EMPTY, which Task Scheduler
// takes as "not given" for optional arguments.
class Variant {
 public:
  Variant() { VariantInit(&v_); }
  explicit Variant(std::string_view utf8);
  explicit Variant(long number) : Variant() {
    v_.vt = VT_I4;
    v_.lVal = number;
  }
  ~Variant() { VariantClear(&v_); }
  Variant(const Variant&) = delete;
  Variant& operator=(const Variant&) = delete;

  // COM methods take VARIANT by value; the callee copies what it keeps.
  const VARIANT& get() const { return v_; }
  VARIANT* put() {
    VariantClear(&v_);
    return &v_;
  }

 private:
  VARIANT v_;
};

}  // namespace omnicron::windows
