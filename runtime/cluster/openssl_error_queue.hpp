#pragma once
// A repair for CAF 0.17.6's OpenSSL module on OpenSSL 3.
//
// OpenSSL requires the thread's error queue to be empty before each
// SSL_read, SSL_write, SSL_connect and SSL_accept, or SSL_get_error()
// misreads the next "would block" as a fatal error. CAF never empties it,
// and OpenSSL 3 queues an error whenever a peer closes without a TLS
// close_notify, as CAF does with every connection it drops (a refused
// certificate, a redundant link between two nodes, a killed member). The
// next quiet read on any other connection of that thread then fails, and
// CAF drops a healthy member link: clusters flapped between up and down.
//
// openssl_error_queue.cpp defines those four functions in the executable,
// so the dynamic linker binds libcaf_openssl's calls to them; each empties
// the queue and calls OpenSSL's own. Every well-behaved caller (libcurl,
// Asio) empties it itself before these calls, so nothing else changes.
namespace backbeat::cluster {

// True when the process's SSL_read is the repaired one, i.e. the
// interposition took effect (it needs a dynamically linked libssl).
bool openssl_error_queue_repaired();

}  // namespace backbeat::cluster
