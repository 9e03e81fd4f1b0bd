// SPDX-License-Identifier: MIT
/* fetch.c - one HTTP GET with libcurl, classified into a result kind. */
#include "common/fetch.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <zlib.h>

int fetch_global_init(void)
{
	/* A peer that resets a connection must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* CURLOPT_WRITEFUNCTION: count and checksum the body, keep nothing. */
static size_t fetch_body_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch_state *st = arg;
	size_t len = size * nmemb;
	st->crc = (uint32_t)crc32(st->crc, (const Bytef *)data, (uInt)len);
	st->bytes += len;
	return len;
}

/* CURLOPT_OPENSOCKETFUNCTION: libcurl's own socket(), but remembering
 * why it failed; libcurl 7.88 reports a failed socket() as "couldn't
 * connect" and loses errno, which would make running out of descriptors
 * look like a refused connection. */
static curl_socket_t fetch_socket_cb(void *arg, curlsocktype purpose,
				     struct curl_sockaddr *a)
{
	struct fetch_state *st = arg;
	(void)purpose;
	curl_socket_t fd = socket(a->family, a->socktype, a->protocol);
	if (fd == CURL_SOCKET_BAD && st)
		st->socket_errno = errno;
	return fd;
}

CURL *fetch_handle_new(void)
{
	CURL *h = curl_easy_init();
	if (!h)
		return NULL;
	/* No signals: libcurl must not use SIGALRM for timeouts in threads. */
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_body_cb);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, fetch_socket_cb);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "concur/1");
	curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
	/* Redirects are followed, as a browser or aiohttp would, but only
	 * to http and https: a server must not send us to ftp:// or file://
	 * (the URLs we are given are checked for the same two schemes). */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85: the _STR options */
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS,
			 CURLPROTO_HTTP | CURLPROTO_HTTPS);
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS,
			 CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
	return h;
}

int fetch_prepare(CURL *h, const char *url, const struct fetch_opts *o,
		  struct fetch_state *st)
{
	memset(st, 0, sizeof(*st));
	st->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK)
		return -1;
	curl_easy_setopt(h, CURLOPT_WRITEDATA, st);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, st);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, st->errbuf);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	return 0;
}

/* Maps a libcurl error to the kind a student would name it by. */
static enum result_kind fetch_kind_of(CURL *h, CURLcode rc)
{
	long os_errno = 0;
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
		return os_errno == ETIMEDOUT ? RESULT_TIMEOUT : RESULT_REFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		return RESULT_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return RESULT_DNS;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
		return RESULT_RESET;
	case CURLE_PARTIAL_FILE:
		return RESULT_TRUNCATED;
	default:
		return RESULT_OTHER;
	}
}

void fetch_finish(CURL *h, CURLcode rc, const struct fetch_state *st,
		  struct result *r)
{
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	r->status = (int)status;
	r->bytes = st->bytes;
	r->checksum = st->crc;
	r->message[0] = '\0';
	if (st->socket_errno) {
		r->kind = RESULT_OTHER;
		result_set_message(r, "no socket: %s",
				   strerror(st->socket_errno));
	} else if (rc != CURLE_OK) {
		r->kind = fetch_kind_of(h, rc);
		result_set_message(r, "%s",
				   st->errbuf[0] ? st->errbuf
						 : curl_easy_strerror(rc));
	} else if (status >= 400) {
		r->kind = RESULT_HTTP_ERROR;
		result_set_message(r, "HTTP %ld", status);
	} else {
		r->kind = RESULT_OK;
	}
}

void fetch_blocking(CURL *h, const char *url, const struct fetch_opts *o,
		    struct result *r)
{
	struct fetch_state st;
	if (fetch_prepare(h, url, o, &st) != 0) {
		r->kind = RESULT_OTHER;
		result_set_message(r, "cannot set URL %s", url);
		return;
	}
	CURLcode rc = curl_easy_perform(h);
	fetch_finish(h, rc, &st, r);
	/* st ends with this call: the handle must not keep pointing into it
	 * (libcurl writes the error buffer until it is set again). */
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, NULL);
}
