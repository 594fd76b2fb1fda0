// Text files from other tools in UTF-8: Windows' "Unicode text" exports (Excel's "Unicode Text",
// Notepad's "Unicode", PowerShell's Out-File) are UTF-16, which read as bytes gives names with a
// NUL after every letter. Every inventory file goes through ToUtf8Text before it is parsed.
//
//   TextEncoding encoding;
//   std::string text = ToUtf8Text(std::move(bytes), &encoding);  // "www.example.com\n..."
#ifndef SERIALMATCH_SRC_BASE_TEXT_ENCODING_H_
#define SERIALMATCH_SRC_BASE_TEXT_ENCODING_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace serialmatch {

enum class TextEncoding { kUtf8, kUtf16Le, kUtf16Be };

// "UTF-8", "UTF-16LE", "UTF-16BE".
absl::string_view TextEncodingName(TextEncoding encoding);

// The encoding of `bytes`: UTF-16 when they start with its byte order mark (FF FE, FE FF), or,
// without one, when their first bytes are ASCII characters in UTF-16 (every other byte NUL);
// otherwise UTF-8 (or anything else ASCII-compatible, left to the parsers to judge).
TextEncoding DetectTextEncoding(absl::string_view bytes);

// `bytes` as UTF-8: UTF-16 is converted and its byte order mark dropped; an unpaired surrogate or
// a lone last byte becomes U+FFFD, which no name, serial or endpoint accepts, so the row holding
// it is reported rather than dropped. Other text is returned unchanged. Sets `*encoding` (when not
// null) to what was found. Line breaks stay where they were, so line numbers are those of the file.
std::string ToUtf8Text(std::string bytes, TextEncoding* encoding = nullptr);

// The length of the valid UTF-8 sequence starting at s[i] (i < s.size()): 1 for ASCII, 2 to 4
// for a shortest-form encoding of a code point that is not a surrogate; 0 if none starts there.
size_t Utf8SequenceLength(absl::string_view s, size_t i);

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string ValidUtf8(absl::string_view text);

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_TEXT_ENCODING_H_
