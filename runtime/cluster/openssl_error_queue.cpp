#include "runtime/cluster/openssl_error_queue.hpp"

#include <dlfcn.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace {

// OpenSSL's own definition, the next one after this executable's.
template <class F>
F openssl_own(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

int SSL_read(SSL* ssl, void* buf, int num) {
  static const auto own = openssl_own<int (*)(SSL*, void*, int)>("SSL_read");
  ERR_clear_error();
  return own(ssl, buf, num);
}

int SSL_write(SSL* ssl, const void* buf, int num) {
  static const auto own = openssl_own<int (*)(SSL*, const void*, int)>("SSL_write");
  ERR_clear_error();
  return own(ssl, buf, num);
}

int SSL_connect(SSL* ssl) {
  static const auto own = openssl_own<int (*)(SSL*)>("SSL_connect");
  ERR_clear_error();
  return own(ssl);
}

int SSL_accept(SSL* ssl) {
  static const auto own = openssl_own<int (*)(SSL*)>("SSL_accept");
  ERR_clear_error();
  return own(ssl);
}

}  // extern "C"

namespace backbeat::cluster {

bool openssl_error_queue_repaired() {
  return dlsym(RTLD_DEFAULT, "SSL_read") == reinterpret_cast<void*>(&::SSL_read);
}

}  // namespace backbeat::cluster
