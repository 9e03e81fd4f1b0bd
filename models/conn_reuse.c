// SPDX-License-Identifier: MIT
/*
 * conn_reuse.c - connection settings for many transfers in flight (the
 * measurements are in conn_reuse.h).
 */
#include "models/conn_reuse.h"

int conn_reuse_init(struct conn_reuse *cr, CURLM *multi, int slots,
		    size_t n_fetches)
{
	cr->one_shot = n_fetches <= (size_t)slots;
	cr->headers = NULL;
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)slots);
	if (cr->one_shot) {
		cr->headers = curl_slist_append(NULL, "Connection: close");
		if (!cr->headers)
			return -1;
	}
	return 0;
}

void conn_reuse_apply(const struct conn_reuse *cr, CURL *easy)
{
	curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, (long)cr->one_shot);
	curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, (long)cr->one_shot);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, cr->headers);
}

void conn_reuse_free(struct conn_reuse *cr)
{
	curl_slist_free_all(cr->headers);
	cr->headers = NULL;
}
