// Certificate serial numbers in one canonical notation, so that a serial copied from a CA's list,
// from `openssl x509 -serial`, from a browser's certificate viewer or from a spreadsheet compares
// equal.
//
// Accepted: upper or lower case hex; ':' or ' ' between bytes ("03:E2:26", "03 e2 26", single-digit
// groups such as "3:e2:26" mean 03); a "0x" or "serial=" prefix; a leading 00 sign byte or not; odd
// length; a minus sign, "-" or OpenSSL's "(Negative)", before the magnitude of a negative serial.
// Canonical: lowercase hex of the magnitude, even length, leading 00 bytes removed (a zero serial
// is "00"), and for a negative serial "-" before it. RFC 5280 forbids negative serials, but CAs
// have issued them: "-ff" (-255) never equals "ff" (255) nor "ff01" (the two's complement bytes of
// -255 in the certificate).
//
//   std::string scratch;
//   CanonicalizeSerial("00:87:65:43:21", &scratch);  // "87654321"
//   CanonicalizeSerial("3e226", &scratch);           // "03e226"
//   CanonicalizeSerial("serial=-FF", &scratch);      // "-ff"
//   SerialFromDerInteger("\xff\x01");                // "-ff"
#ifndef SERIALMATCH_SRC_BASE_SERIAL_H_
#define SERIALMATCH_SRC_BASE_SERIAL_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace serialmatch {

// Longest serial accepted, in hex digits of its magnitude. RFC 5280 allows 20 octets; CAs have
// published longer ones by mistake, so the limit is generous.
inline constexpr size_t kMaxSerialHexDigits = 128;

// Returns the canonical form of `text`. The result views `text` itself when it is already canonical
// (the common case in CA lists, and free), otherwise `*scratch`, which it overwrites. Fails with
// kInvalidArgument and a message quoting the offending part.
[[nodiscard]] absl::StatusOr<absl::string_view> CanonicalizeSerial(absl::string_view text,
                                                                   std::string* scratch);

// True when `text` is already in canonical form.
bool IsCanonicalSerial(absl::string_view text);

// For a line format whose serial is followed by a ' ' (le2020): the length of the word that starts
// `text`, up to its first ' ', when that word is a canonical serial without a sign and the ' '
// comes within the first 64 bytes of `text` (and its 16-byte block is inside `text`); 0 otherwise,
// when the caller takes the general path (CanonicalizeSerial). The space search and the hex check
// are one pass, sixteen bytes at a time.
size_t CanonicalSerialWord(absl::string_view text);

// Returns the canonical form of the serial whose DER INTEGER content octets (big-endian two's
// complement, as in a certificate's serialNumber) are `content`: a first byte of 0x80 or more is a
// negative number. Fails with kInvalidArgument when `content` is empty or the magnitude is longer
// than kMaxSerialHexDigits.
[[nodiscard]] absl::StatusOr<std::string> SerialFromDerInteger(absl::string_view content);

}  // namespace serialmatch

#endif  // SERIALMATCH_SRC_BASE_SERIAL_H_
