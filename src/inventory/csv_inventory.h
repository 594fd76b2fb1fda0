// A certificate inventory exported from a database as CSV: one row per certificate, with at least
// a serial column and a names column, so an operator who keeps certificates in a database (not in
// files) can join them against a dump like certificates read from PEM.
//
//   id,serial,san,issuer,not_before,not_after,fingerprint
//   web-17,03:a1:...:9f,"www.example.com example.com",CN=R3,2020-01-01,2020-04-01,
//
//   if (LooksLikeCsvInventory(content)) ParseCsvInventory(content, path, &inventory, &diags);
//
// The header (the first row that is not blank nor a '#' comment) names the columns, compared
// ignoring case, spaces, '_' and '-': the serial (`serial`, `serial_number`, ...) and the names
// (`san`, `dns_names`, `domains`, `names`; names in a cell separated by spaces, commas or
// semicolons) are required; `issuer`, `not_before` (or `issued`), `not_after` (or `expires`),
// `fingerprint` (or `sha256`: SHA-256 hex, with or without ':') and `id` are optional. Quoting,
// CRLF, a BOM, UTF-16 and comment lines are read as by the other inventories (src/base/csv.h).
//
// The issuer cell may hold a DN ("C=US, O=Let's Encrypt, CN=R3") or only a CN ("R3"). A DN is
// kept as the certificate's `issuer` and its CN as `issuer_cn`, as for a certificate read from
// PEM. A bare CN becomes `issuer` "CN=R3" and `issuer_cn` "R3": a dump naming the issuer by CN
// agrees with it; for a dump or CRL giving the whole DN ("C=US, O=..., CN=R3") the matcher cannot
// tell the issuers are the same (the export does not say the rest of the DN, and it is not
// guessed), so a listed serial is a warning, not affected or revoked -- export the DN for those.
//
// A row that cannot be read (no serial, an unreadable serial, time, name or fingerprint, more or
// fewer cells than the header, a quote left open) is reported as `path:line: reason`, counted in
// CertificateInventory::unreadable_csv_rows, and the rest is read. Rows repeating a certificate
// (the same serial and issuer, or the same fingerprint) are one certificate, the repeats in its
// `also_at`.
#ifndef SERIALMATCH_SRC_INVENTORY_CSV_INVENTORY_H_
#define SERIALMATCH_SRC_INVENTORY_CSV_INVENTORY_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "src/base/diagnostics.h"
#include "src/inventory/certificates.h"

namespace serialmatch::inventory {

// True when `content` (any encoding ToUtf8Text reads) starts, after blank and comment lines, with
// a CSV header naming a serial column and a names column.
bool LooksLikeCsvInventory(absl::string_view content);

// Appends a Certificate for each distinct certificate of the CSV inventory `content` to
// `inventory` (path and line set; `location` is the row's id, or "path:line" without an id
// column) and returns how many it appended. Problems go to `diags` as "path:line: reason"; each
// unreadable row also counts in inventory->unreadable_csv_rows.
size_t ParseCsvInventory(absl::string_view content, const std::string& path,
                         CertificateInventory* inventory, Diagnostics* diags);

}  // namespace serialmatch::inventory

#endif  // SERIALMATCH_SRC_INVENTORY_CSV_INVENTORY_H_
