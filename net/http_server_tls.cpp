// The TLS transport of the HTTP server (http.tls_cert, http.tls_key): Asio's
// SSL over OpenSSL 3 under Beast's ssl_stream. Only this file compiles it;
// the plain transport never meets it.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "net/http_server_session.hpp"

namespace backbeat::net::server {

class TlsContext {
 public:
  asio::ssl::context ssl{asio::ssl::context::tls_server};
};

namespace {

struct TlsTransport {
  using Stream = beast::ssl_stream<beast::tcp_stream>;

  template <class Handler>
  static void async_handshake(Stream& stream, Handler&& handler) {
    stream.async_handshake(asio::ssl::stream_base::server, std::forward<Handler>(handler));
  }

  // Sends close_notify and waits (within the linger time) for the peer's.
  template <class Handler>
  static void async_close_notify(Stream& stream, Handler&& handler) {
    stream.async_shutdown(std::forward<Handler>(handler));
  }
};

Error tls_error(std::string message) {
  return make_error(Error::Kind::tls_setup, std::move(message));
}

// OpenSSL's own messages for a missing file ("system lib") say less than errno.
Status readable(const std::string& path, const char* what) {
  std::ifstream in(path);
  if (in) return ok_status();
  return tls_error(std::string("cannot read the TLS ") + what + " " + path + ": " +
                   std::strerror(errno));
}

}  // namespace

Result<std::shared_ptr<TlsContext>> load_tls_context(const std::string& cert_file,
                                                     const std::string& key_file) {
  if (auto s = readable(cert_file, "certificate"); !s) return s.error();
  if (auto s = readable(key_file, "key"); !s) return s.error();
  auto tls = std::make_shared<TlsContext>();
  asio::ssl::context& ctx = tls->ssl;
  SSL_CTX* native = ctx.native_handle();
  // TLS 1.0 and 1.1 are broken. Renegotiation is work a client can make the
  // server do at will, for nothing this API needs.
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1)
    return tls_error("cannot require TLS 1.2 or later");
  SSL_CTX_set_options(native, SSL_OP_ALL | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  error_code ec;
  // For an encrypted key OpenSSL would ask for the passphrase on the
  // terminal, and the node would hang at start; an empty one fails instead.
  ctx.set_password_callback(
      [](std::size_t, asio::ssl::context::password_purpose) { return std::string(); }, ec);
  if (!ec) ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) return tls_error("cannot load the TLS certificate " + cert_file + ": " + ec.message());
  ctx.use_private_key_file(key_file, asio::ssl::context::pem, ec);
  // OpenSSL checks the key against the certificate as it loads it.
  const bool mismatch = ec && ec.category() == asio::error::get_ssl_category() &&
                        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
                            X509_R_KEY_VALUES_MISMATCH;
  if (mismatch || (!ec && SSL_CTX_check_private_key(native) != 1))
    return tls_error("the TLS key " + key_file + " does not belong to the certificate " +
                     cert_file);
  if (ec)
    return tls_error("cannot load the TLS key " + key_file + ": " + ec.message() +
                     " (an unencrypted PEM key is needed)");
  return tls;
}

std::shared_ptr<Connection> make_tls_session(Shared& shared, TlsContext& tls, tcp::socket socket,
                                             const AddressKey& address, bool counted) {
  return std::make_shared<Session<TlsTransport>>(shared, address, counted, std::move(socket),
                                                 tls.ssl);
}

}  // namespace backbeat::net::server
