// A certificate's DNS names, stored once: the SAN dNSNames as written, and the names the join
// matches (the same names normalised by NormalizeName, without repeats). A name already in normal
// form, the usual case, is one string in one buffer, seen by both lists; only a name whose normal
// form differs ("WWW.Example.com.") adds its normal form to the buffer.
//
//   CertificateNames names;
//   names.Add("WWW.Example.com", "www.example.com");  // stores both
//   names.Add("example.com", "example.com");          // stores "example.com" once
//   names.Add("www.example.com", "www.example.com");  // a second written name, no new match name
//   for (absl::string_view name : names.written()) ...  // the three names as written
//   for (absl::string_view name : names.normal()) ...   // "www.example.com", "example.com"
//
// The lists are views computed from offsets on each call, so copying or moving a CertificateNames
// is safe; a NameList (and the views it gives) is valid until this object is changed, moved from
// or destroyed. The buffer is heap memory that a move hands over, so views taken before a move see
// the moved-to object's text (what CertificateIndex relies on when an inventory is moved).
#ifndef SERIALMATCH_SRC_INVENTORY_CERTIFICATE_NAMES_H_
#define SERIALMATCH_SRC_INVENTORY_CERTIFICATE_NAMES_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace serialmatch::inventory {

// Where one name is in a CertificateNames buffer.
struct NameSpan {
  uint32_t offset = 0;
  uint32_t size = 0;
};

// A read-only list of names: views of a CertificateNames buffer (see above for how long).
class NameList {
 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = absl::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = const absl::string_view*;
    using reference = absl::string_view;

    const_iterator() = default;
    const_iterator(const char* text, const NameSpan* span) : text_(text), span_(span) {}
    absl::string_view operator*() const {
      return absl::string_view(text_ + span_->offset, span_->size);
    }
    absl::string_view operator[](difference_type i) const { return *(*this + i); }
    const_iterator& operator++() {
      ++span_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++span_;
      return old;
    }
    const_iterator& operator--() {
      --span_;
      return *this;
    }
    const_iterator operator--(int) {
      const_iterator old = *this;
      --span_;
      return old;
    }
    const_iterator& operator+=(difference_type n) {
      span_ += n;
      return *this;
    }
    const_iterator& operator-=(difference_type n) {
      span_ -= n;
      return *this;
    }
    friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
    friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
    friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const_iterator a, const_iterator b) {
      return a.span_ - b.span_;
    }
    friend bool operator==(const_iterator a, const_iterator b) { return a.span_ == b.span_; }
    friend bool operator!=(const_iterator a, const_iterator b) { return a.span_ != b.span_; }
    friend bool operator<(const_iterator a, const_iterator b) { return a.span_ < b.span_; }
    friend bool operator>(const_iterator a, const_iterator b) { return a.span_ > b.span_; }
    friend bool operator<=(const_iterator a, const_iterator b) { return a.span_ <= b.span_; }
    friend bool operator>=(const_iterator a, const_iterator b) { return a.span_ >= b.span_; }

   private:
    const char* text_ = nullptr;
    const NameSpan* span_ = nullptr;
  };
  using iterator = const_iterator;
  using value_type = absl::string_view;
  using size_type = size_t;

  NameList(const char* text, absl::Span<const NameSpan> spans) : text_(text), spans_(spans) {}

  const_iterator begin() const { return const_iterator(text_, spans_.data()); }
  const_iterator end() const { return const_iterator(text_, spans_.data() + spans_.size()); }
  size_t size() const { return spans_.size(); }
  bool empty() const { return spans_.empty(); }
  absl::string_view operator[](size_t i) const { return begin()[static_cast<std::ptrdiff_t>(i)]; }
  absl::string_view front() const { return (*this)[0]; }
  absl::string_view back() const { return (*this)[size() - 1]; }
  // The names as strings, for whoever keeps them beyond the list's life (a report's facts).
  std::vector<std::string> Strings() const;

  // Element by element.
  friend bool operator==(const NameList& a, const NameList& b);
  friend bool operator!=(const NameList& a, const NameList& b) { return !(a == b); }
  // ["a.example", "b.example"], for test failures.
  friend std::ostream& operator<<(std::ostream& out, const NameList& list);

 private:
  const char* text_;
  absl::Span<const NameSpan> spans_;
};

class CertificateNames {
 public:
  // Appends `written` to the written names and `normal`, its normal form (NormalizeName), to the
  // match names unless it is already one of them; an empty `normal` (a name that does not
  // normalise, and so can equal no dump name) adds no match name. When `normal` equals `written`
  // the one copy serves both.
  void Add(absl::string_view written, absl::string_view normal);
  // Appends `normal` to the match names unless it is already one of them, with no written name
  // (a legacy certificate's subject CN, matched when it has no SAN dNSName).
  void AddMatchOnly(absl::string_view normal);
  // Room for `count` written names of `bytes` bytes in all, so that adding them allocates once.
  void Reserve(size_t count, size_t bytes);
  // Removes every name.
  void Clear();

  NameList written() const { return NameList(text_.data(), written_); }
  NameList normal() const { return NameList(text_.data(), normal_); }

  friend bool operator==(const CertificateNames& a, const CertificateNames& b) {
    return a.written() == b.written() && a.normal() == b.normal();
  }

 private:
  // Appends `name` to text_; returns where it is.
  NameSpan Store(absl::string_view name);
  bool HasNormal(absl::string_view normal) const;

  // A vector, not a std::string: a moved vector keeps its buffer, where a short string's
  // characters would move with it (see the header comment).
  std::vector<char> text_;
  std::vector<NameSpan> written_;
  std::vector<NameSpan> normal_;
};

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_CERTIFICATE_NAMES_H_
