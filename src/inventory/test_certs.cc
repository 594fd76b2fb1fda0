#include "src/inventory/test_certs.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "src/inventory/openssl_util.h"

namespace serialmatch::inventory {
namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "TestCa: %s failed\n", what);
    std::abort();
  }
}

EVP_PKEY* NewKey() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  Check(key != nullptr, "EVP_EC_gen");
  return key;
}

void SetName(X509_NAME* name, const std::string& cn) {
  Check(X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("US"), -1, -1, 0) == 1,
        "name C");
  Check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("serialmatch tests"), -1,
                                   -1, 0) == 1,
        "name O");
  if (!cn.empty()) {
    Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                     0) == 1,
          "name CN");
  }
}

// 20 bytes derived from the CA name, standing in for the SHA-1 key identifier CAs use.
std::string KeyIdFor(const std::string& common_name) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  Check(EVP_Digest(common_name.data(), common_name.size(), md, &size, EVP_sha256(), nullptr) == 1,
        "digest");
  return std::string(reinterpret_cast<const char*>(md), 20);
}

void AddAuthorityKeyId(X509* x509, const std::string& key_id) {
  AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
  akid->keyid = ASN1_OCTET_STRING_new();
  Check(ASN1_OCTET_STRING_set(akid->keyid, reinterpret_cast<const unsigned char*>(key_id.data()),
                              static_cast<int>(key_id.size())) == 1,
        "AKI");
  Check(X509_add1_ext_i2d(x509, NID_authority_key_identifier, akid, 0, 0) == 1, "add AKI");
  AUTHORITY_KEYID_free(akid);
}

std::string Der(X509* x509) {
  unsigned char* buffer = nullptr;
  const int size = i2d_X509(x509, &buffer);
  Check(size > 0, "i2d_X509");
  std::string der(reinterpret_cast<const char*>(buffer), static_cast<size_t>(size));
  OPENSSL_free(buffer);
  return der;
}

std::string KeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM key");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

using SslCtxPtr = OpenSslPtr<SSL_CTX, SSL_CTX_free>;

SslCtxPtr ServerContext(const TestTlsServer::Served& served) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  Check(ctx != nullptr, "SSL_CTX_new");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(served.der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(served.der.size())));
  BioPtr bio(BIO_new_mem_buf(served.key_pem.data(), static_cast<int>(served.key_pem.size())));
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  Check(cert != nullptr && key != nullptr, "server certificate and key");
  Check(SSL_CTX_use_certificate(ctx.get(), cert.get()) == 1, "use certificate");
  Check(SSL_CTX_use_PrivateKey(ctx.get(), key.get()) == 1, "use key");
  return ctx;
}

X509Ptr NewCertificate(const std::string& serial_hex, absl::Time not_before, absl::Time not_after) {
  X509Ptr x509(X509_new());
  Check(x509 != nullptr && X509_set_version(x509.get(), X509_VERSION_3) == 1, "X509_new");
  BIGNUM* bn = nullptr;
  Check(BN_hex2bn(&bn, serial_hex.c_str()) > 0, "serial");
  ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
  BN_free(bn);
  Check(serial != nullptr && X509_set_serialNumber(x509.get(), serial) == 1, "set serial");
  ASN1_INTEGER_free(serial);
  Check(ASN1_TIME_set(X509_getm_notBefore(x509.get()), absl::ToTimeT(not_before)) != nullptr,
        "notBefore");
  Check(ASN1_TIME_set(X509_getm_notAfter(x509.get()), absl::ToTimeT(not_after)) != nullptr,
        "notAfter");
  return x509;
}

}  // namespace

TestCa::TestCa(std::string common_name) : common_name_(std::move(common_name)), key_(NewKey()) {
  EVP_PKEY* key = static_cast<EVP_PKEY*>(key_);
  X509Ptr x509 =
      NewCertificate("01", absl::FromUnixSeconds(1500000000), absl::FromUnixSeconds(2000000000));
  SetName(X509_get_subject_name(x509.get()), common_name_);
  SetName(X509_get_issuer_name(x509.get()), common_name_);
  Check(X509_set_pubkey(x509.get(), key) == 1, "CA pubkey");
  // A CA certificate, as issuers of CRLs are: basicConstraints CA, and the key identifier its
  // certificates and CRLs name as their authority key identifier.
  BASIC_CONSTRAINTS* constraints = BASIC_CONSTRAINTS_new();
  constraints->ca = 1;
  Check(X509_add1_ext_i2d(x509.get(), NID_basic_constraints, constraints, 1, 0) == 1,
        "basicConstraints");
  BASIC_CONSTRAINTS_free(constraints);
  const std::string key_id = KeyIdFor(common_name_);
  ASN1_OCTET_STRING* skid = ASN1_OCTET_STRING_new();
  Check(ASN1_OCTET_STRING_set(skid, reinterpret_cast<const unsigned char*>(key_id.data()),
                              static_cast<int>(key_id.size())) == 1,
        "SKI");
  Check(X509_add1_ext_i2d(x509.get(), NID_subject_key_identifier, skid, 0, 0) == 1, "add SKI");
  ASN1_OCTET_STRING_free(skid);
  Check(X509_sign(x509.get(), key, EVP_sha256()) > 0, "CA sign");
  certificate_ = Der(x509.get());
}

TestCa::~TestCa() { EVP_PKEY_free(static_cast<EVP_PKEY*>(key_)); }

std::string TestCa::Issue(const TestCertSpec& spec, std::string* key_pem) const {
  X509Ptr x509 = NewCertificate(spec.serial_hex, spec.not_before, spec.not_after);
  SetName(X509_get_issuer_name(x509.get()), common_name_);
  const std::string subject_cn =
      !spec.subject_cn.empty() ? spec.subject_cn : (spec.names.empty() ? "" : spec.names[0]);
  X509_NAME* subject = X509_get_subject_name(x509.get());
  if (!subject_cn.empty()) {
    Check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(subject_cn.c_str()), -1,
                                     -1, 0) == 1,
          "subject CN");
  }
  EvpPkeyPtr leaf_key(NewKey());
  Check(X509_set_pubkey(x509.get(), leaf_key.get()) == 1, "pubkey");
  AddAuthorityKeyId(x509.get(),
                    spec.authority_key_id.empty() ? KeyIdFor(common_name_) : spec.authority_key_id);
  if (!spec.names.empty()) {
    GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
    for (const std::string& name : spec.names) {
      ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
      Check(ASN1_STRING_set(ia5, name.data(), static_cast<int>(name.size())) == 1, "SAN");
      GENERAL_NAME* general = GENERAL_NAME_new();
      GENERAL_NAME_set0_value(general, GEN_DNS, ia5);
      sk_GENERAL_NAME_push(names, general);
    }
    Check(X509_add1_ext_i2d(x509.get(), NID_subject_alt_name, names, 0, 0) == 1, "add SAN");
    GENERAL_NAMES_free(names);
  }
  if (!spec.crl_urls.empty()) {
    CRL_DIST_POINTS* points = sk_DIST_POINT_new_null();
    for (const std::string& entry : spec.crl_urls) {
      DIST_POINT* point = DIST_POINT_new();
      point->distpoint = DIST_POINT_NAME_new();
      if (entry.rfind("relative:", 0) == 0) {
        point->distpoint->type = 1;
        point->distpoint->name.relativename = sk_X509_NAME_ENTRY_new_null();
        X509_NAME_ENTRY* cn =
            X509_NAME_ENTRY_create_by_NID(nullptr, NID_commonName, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(entry.c_str()) + 9,
                                          static_cast<int>(entry.size()) - 9);
        Check(cn != nullptr, "relative name");
        sk_X509_NAME_ENTRY_push(point->distpoint->name.relativename, cn);
      } else {
        point->distpoint->type = 0;
        point->distpoint->name.fullname = sk_GENERAL_NAME_new_null();
        size_t start = 0;
        while (start < entry.size()) {
          size_t end = entry.find(' ', start);
          if (end == std::string::npos) end = entry.size();
          std::string name = entry.substr(start, end - start);
          start = end + 1;
          if (name.empty()) continue;
          const bool dns = name.rfind("dns:", 0) == 0;
          if (dns) name = name.substr(4);
          ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
          Check(ASN1_STRING_set(ia5, name.data(), static_cast<int>(name.size())) == 1, "CRL DP");
          GENERAL_NAME* general = GENERAL_NAME_new();
          GENERAL_NAME_set0_value(general, dns ? GEN_DNS : GEN_URI, ia5);
          sk_GENERAL_NAME_push(point->distpoint->name.fullname, general);
        }
      }
      sk_DIST_POINT_push(points, point);
    }
    Check(X509_add1_ext_i2d(x509.get(), NID_crl_distribution_points, points, 0, 0) == 1,
          "add CRL DP");
    CRL_DIST_POINTS_free(points);
  }
  Check(X509_sign(x509.get(), static_cast<EVP_PKEY*>(key_), EVP_sha256()) > 0, "sign");
  if (key_pem != nullptr) *key_pem = KeyPem(leaf_key.get());
  return Der(x509.get());
}

std::string TestCa::IssueCrl(const TestCrlSpec& spec, bool pem) const {
  using CrlPtr = OpenSslPtr<X509_CRL, X509_CRL_free>;
  CrlPtr crl(X509_CRL_new());
  Check(crl != nullptr && X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1, "X509_CRL");
  X509_NAME* issuer = X509_NAME_new();
  SetName(issuer, common_name_);
  Check(X509_CRL_set_issuer_name(crl.get(), issuer) == 1, "CRL issuer");
  X509_NAME_free(issuer);
  auto set_time = [](absl::Time t, int (*set)(X509_CRL*, const ASN1_TIME*), X509_CRL* c) {
    ASN1_TIME* asn1 = ASN1_TIME_set(nullptr, absl::ToTimeT(t));
    Check(asn1 != nullptr && set(c, asn1) == 1, "CRL time");
    ASN1_TIME_free(asn1);
  };
  set_time(spec.this_update, X509_CRL_set1_lastUpdate, crl.get());
  if (spec.next_update.has_value()) {
    set_time(*spec.next_update, X509_CRL_set1_nextUpdate, crl.get());
  }
  for (const TestCrlEntry& entry : spec.entries) {
    X509_REVOKED* revoked = X509_REVOKED_new();
    BIGNUM* bn = nullptr;
    Check(BN_hex2bn(&bn, entry.serial_hex.c_str()) > 0, "CRL serial");
    ASN1_INTEGER* serial = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    Check(serial != nullptr && X509_REVOKED_set_serialNumber(revoked, serial) == 1, "set serial");
    ASN1_INTEGER_free(serial);
    ASN1_TIME* date = ASN1_TIME_set(nullptr, absl::ToTimeT(entry.revoked_at));
    Check(date != nullptr && X509_REVOKED_set_revocationDate(revoked, date) == 1, "revoked at");
    ASN1_TIME_free(date);
    if (entry.reason.has_value()) {
      ASN1_ENUMERATED* reason = ASN1_ENUMERATED_new();
      Check(ASN1_ENUMERATED_set(reason, *entry.reason) == 1, "reason");
      Check(X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, reason, 0, 0) == 1, "add reason");
      ASN1_ENUMERATED_free(reason);
    }
    Check(X509_CRL_add0_revoked(crl.get(), revoked) == 1, "add revoked");
  }
  if (spec.authority_key_id) {
    AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
    akid->keyid = ASN1_OCTET_STRING_new();
    const std::string key_id = KeyIdFor(common_name_);
    Check(ASN1_OCTET_STRING_set(akid->keyid, reinterpret_cast<const unsigned char*>(key_id.data()),
                                static_cast<int>(key_id.size())) == 1,
          "CRL AKI");
    Check(X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, akid, 0, 0) == 1,
          "add CRL AKI");
    AUTHORITY_KEYID_free(akid);
  }
  if (!spec.crl_number.empty()) {
    BIGNUM* bn = nullptr;
    Check(BN_dec2bn(&bn, spec.crl_number.c_str()) > 0, "CRL number");
    ASN1_INTEGER* number = BN_to_ASN1_INTEGER(bn, nullptr);
    BN_free(bn);
    Check(number != nullptr && X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number, 0, 0) == 1,
          "add CRL number");
    ASN1_INTEGER_free(number);
  }
  if (!spec.distribution_point.empty()) {
    ISSUING_DIST_POINT* idp = ISSUING_DIST_POINT_new();
    idp->distpoint = DIST_POINT_NAME_new();
    idp->distpoint->type = 0;  // fullName
    idp->distpoint->name.fullname = sk_GENERAL_NAME_new_null();
    ASN1_IA5STRING* uri = ASN1_IA5STRING_new();
    Check(ASN1_STRING_set(uri, spec.distribution_point.data(),
                          static_cast<int>(spec.distribution_point.size())) == 1,
          "IDP URI");
    GENERAL_NAME* general = GENERAL_NAME_new();
    GENERAL_NAME_set0_value(general, GEN_URI, uri);
    sk_GENERAL_NAME_push(idp->distpoint->name.fullname, general);
    Check(X509_CRL_add1_ext_i2d(crl.get(), NID_issuing_distribution_point, idp, 1, 0) == 1,
          "add IDP");
    ISSUING_DIST_POINT_free(idp);
  }
  Check(X509_CRL_sign(crl.get(), static_cast<EVP_PKEY*>(key_), EVP_sha256()) > 0, "CRL sign");
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(pem ? PEM_write_bio_X509_CRL(bio.get(), crl.get()) == 1
            : i2d_X509_CRL_bio(bio.get(), crl.get()) == 1,
        "writing CRL");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string TestCa::KeyIdHex() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const char c : KeyIdFor(common_name_)) {
    hex.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
    hex.push_back(kHex[static_cast<unsigned char>(c) & 15]);
  }
  return hex;
}

std::string TestCa::PrivateKeyPem() {
  EvpPkeyPtr key(NewKey());
  return KeyPem(key.get());
}

std::string TestCa::ToPem(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  Check(x509 != nullptr, "d2i_X509");
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_X509(bio.get(), x509.get()) == 1, "PEM_write_bio_X509");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string TestCa::ToPkcs7(const std::vector<std::string>& ders, bool pem) {
  Pkcs7Ptr p7(PKCS7_new());
  Check(p7 != nullptr && PKCS7_set_type(p7.get(), NID_pkcs7_signed) == 1, "PKCS7_set_type");
  Check(PKCS7_content_new(p7.get(), NID_pkcs7_data) == 1, "PKCS7_content_new");
  for (const std::string& der : ders) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    Check(x509 != nullptr, "d2i_X509");
    Check(PKCS7_add_certificate(p7.get(), x509.get()) == 1, "PKCS7_add_certificate");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(
      pem ? PEM_write_bio_PKCS7(bio.get(), p7.get()) == 1 : i2d_PKCS7_bio(bio.get(), p7.get()) == 1,
      "writing PKCS7");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

struct TestTlsServer::State {
  int listen_fd = -1;
  SslCtxPtr fallback;
  std::vector<std::pair<std::string, SslCtxPtr>> by_name;
  std::thread thread;
};

namespace {

int SelectCertificate(SSL* ssl, int*, void* arg) {
  auto* by_name = static_cast<std::vector<std::pair<std::string, SslCtxPtr>>*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return SSL_TLSEXT_ERR_OK;
  for (auto& [served_name, ctx] : *by_name) {
    if (served_name == name) SSL_set_SSL_CTX(ssl, ctx.get());
  }
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace

TestTlsServer::TestTlsServer(std::vector<std::pair<std::string, Served>> by_name, Served fallback)
    : state_(new State) {
  std::signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the test
  state_->fallback = ServerContext(fallback);
  for (auto& [name, served] : by_name) state_->by_name.emplace_back(name, ServerContext(served));
  SSL_CTX_set_tlsext_servername_callback(state_->fallback.get(), SelectCertificate);
  SSL_CTX_set_tlsext_servername_arg(state_->fallback.get(), &state_->by_name);
  state_->listen_fd = ListenOnLoopback(&port_);
  state_->thread = std::thread([this] { Serve(); });
}

TestTlsServer::~TestTlsServer() {
  shutdown(state_->listen_fd, SHUT_RDWR);  // wakes accept()
  state_->thread.join();
  close(state_->listen_fd);
  delete state_;
}

void TestTlsServer::Serve() {
  while (true) {
    const int fd = accept(state_->listen_fd, nullptr, nullptr);
    if (fd < 0) return;
    timeval timeout = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    SSL* ssl = SSL_new(state_->fallback.get());
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) SSL_shutdown(ssl);
    SSL_free(ssl);
    ERR_clear_error();
    close(fd);
  }
}

SilentListener::SilentListener() { fd_ = ListenOnLoopback(&port_); }

SilentListener::~SilentListener() { close(fd_); }

int ListenOnLoopback(int* port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  Check(fd >= 0, "socket");
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  Check(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0, "bind");
  Check(listen(fd, 256) == 0, "listen");
  socklen_t size = sizeof(addr);
  Check(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0, "getsockname");
  *port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace serialmatch::inventory
