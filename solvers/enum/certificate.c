/* Writes the enumeration solver's certificate, streamed as the search
 * runs.  The format is documented in docs/certificates.md; the checker in
 * src/check reads it without trusting any of the solver's code.
 *
 * The file starts with the settings.  A tree search then writes the
 * point order and "rest", the proofs of lower bounds for suffixes of that
 * order.  The list "patterns", the claim and the network follow. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"
#include "xtrain/json.h"
#include "xtrain/rat.h"

/* Stages of the stream, to close the right brackets. */
enum { STAGE_HEADER, STAGE_REST, STAGE_DOLL, STAGE_MAIN };

static void write_rat(FILE *f, const mpq_t q)
{
    fputc('"', f);
    xt_rat_print(f, q);
    fputc('"', f);
}

static void write_rat_array(FILE *f, const mpq_t *v, long count)
{
    fputc('[', f);
    for (long i = 0; i < count; i++) {
        if (i)
            fputc(',', f);
        if (mpq_sgn(v[i]))
            write_rat(f, v[i]);
        else
            fputs("\"0\"", f);
    }
    fputc(']', f);
}

/* Writes v dense, or, when it is longer than 16 and fewer than a
 * quarter of its entries are nonzero, as {"rows": [...], "values":
 * [...]} (the other entries 0): a node's multipliers are mostly zero, and
 * short vectors stay easy to read. */
static void write_sparse(FILE *f, const mpq_t *v, long count)
{
    long nonzero = 0;
    for (long i = 0; i < count; i++)
        nonzero += mpq_sgn(v[i]) != 0;
    if (count <= 16 || 4 * nonzero >= count) {
        write_rat_array(f, v, count);
        return;
    }
    fprintf(f, "{\"rows\": [");
    int first = 1;
    for (long i = 0; i < count; i++)
        if (mpq_sgn(v[i])) {
            fprintf(f, "%s%ld", first ? "" : ",", i);
            first = 0;
        }
    fprintf(f, "], \"values\": [");
    first = 1;
    for (long i = 0; i < count; i++)
        if (mpq_sgn(v[i])) {
            if (!first)
                fputc(',', f);
            write_rat(f, v[i]);
            first = 0;
        }
    fprintf(f, "]}");
}

/* Starts an empty in-memory part for the entries of this process. */
static int part_open(xt_enum_certificate *cert)
{
    cert->part_buf = NULL;
    cert->part_len = 0;
    cert->part = open_memstream(&cert->part_buf, &cert->part_len);
    return cert->part ? XT_OK : XT_ERR_NOMEM;
}

/* With several MPI processes: gathers every process's entries of the
 * current list at rank 0, which writes them.  Every process must call it
 * at the same points. */
static int flush_parts(xt_enum_certificate *cert)
{
    if (!cert->buffered)
        return XT_OK;
    fclose(cert->part);
    char *joined = NULL;
    size_t len = 0;
    int rc = xt_enum_mpi_gather(cert->part_buf, cert->part_len, &joined,
                                &len);
    if (rc == XT_OK && cert->stream && len) {
        if (cert->written)
            fputs(",\n", cert->stream);
        fwrite(joined, 1, len, cert->stream);
        cert->written = 1;
    }
    free(joined);
    free(cert->part_buf);
    cert->entries = 0;
    if (rc == XT_OK)
        rc = part_open(cert);
    if (rc != XT_OK)
        cert->failed = 1;
    return rc;
}

/* The stream of the next entry. */
static FILE *entry_stream(xt_enum_certificate *cert)
{
    return cert->buffered ? cert->part : cert->stream;
}

int xt_enum_certificate_open(xt_enum_certificate *cert, const char *path,
                             const xt_instance_t inst, int k, int shared,
                             xt_error_t *err)
{
    memset(cert, 0, sizeof *cert);
    cert->k = k;
    cert->stage = STAGE_HEADER;
    pthread_mutex_init(&cert->lock, NULL);
    cert->buffered = shared && xt_enum_mpi_size() > 1;
    if (cert->buffered && part_open(cert) != XT_OK) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    cert->open = 1;
    if (xt_solve_rank() != 0)
        return XT_OK;
    cert->stream = fopen(path, "w");
    if (!cert->stream) {
        xt_error_set(err, "cannot write certificate %s: %s", path,
                     strerror(errno));
        return XT_ERR_IO;
    }
    FILE *f = cert->stream;
    fprintf(f, "{\"format\": \"xtrain-certificate\", \"version\": 2,\n"
               " \"kind\": \"enum\",\n \"settings\": {\"hidden\": %d, "
               "\"loss\": \"%s\", \"output_bias\": %s, \"convex\": %s",
            k, xt_loss_name(inst->loss),
            inst->output_bias ? "true" : "false",
            inst->convex ? "true" : "false");
    if (inst->has_target) {
        fprintf(f, ", \"target\": ");
        write_rat(f, inst->target);
    }
    fprintf(f, "}");
    return XT_OK;
}

void xt_enum_certificate_order(xt_enum_certificate *cert, const long *order,
                               long n)
{
    FILE *f = cert->stream;
    cert->stage = STAGE_REST;
    if (!f)
        return;
    fprintf(f, ",\n \"order\": [");
    for (long i = 0; i < n; i++)
        fprintf(f, "%s%ld", i ? "," : "", order[i]);
    fprintf(f, "],\n \"rest\": [");
}

void xt_enum_certificate_rest_begin(xt_enum_certificate *cert, long s)
{
    FILE *f = cert->stream;
    cert->stage = STAGE_DOLL;
    cert->entries = 0;
    cert->written = 0;
    cert->dolls++;
    if (!f)
        return;
    fprintf(f, "%s\n  {\"points\": %ld, \"patterns\": [\n",
            cert->dolls > 1 ? "," : "", s);
}

void xt_enum_certificate_rest_end(xt_enum_certificate *cert,
                                  const mpq_t lower)
{
    FILE *f = cert->stream;
    flush_parts(cert);
    cert->stage = STAGE_REST;
    if (!f)
        return;
    fprintf(f, "\n  ], \"lower\": ");
    write_rat(f, lower);
    fputc('}', f);
}

void xt_enum_certificate_main(xt_enum_certificate *cert)
{
    /* A search stopped inside a suffix proof leaves that proof open.  Its
     * list may miss patterns, so it ends with the bound 0, which is valid
     * because no l1, l2 or linf loss is negative.  The checker still
     * verifies that the list covers every pattern. */
    if (cert->stage == STAGE_DOLL) {
        mpq_t zero;
        mpq_init(zero);
        xt_enum_certificate_rest_end(cert, zero);
        mpq_clear(zero);
    }

    FILE *f = cert->stream;
    int after_rest = cert->stage == STAGE_REST;
    cert->stage = STAGE_MAIN;
    cert->entries = 0;
    cert->written = 0;
    if (!f)
        return;
    if (after_rest)
        fprintf(f, "\n ]");
    fprintf(f, ",\n \"patterns\": [\n");
}

/* Writes the opening of an entry: signs, depth and sets. */
static void entry_head(xt_enum_certificate *cert, const xt_enum_entry *e)
{
    FILE *f = entry_stream(cert);
    int opens = !cert->entries && (cert->buffered || !cert->written);
    fprintf(f, "%s  {\"signs\": [", opens ? "" : ",\n");
    for (int j = 0; j < e->k; j++)
        fprintf(f, "%s%d", j ? "," : "", e->sign[j]);
    fputc(']', f);
    if (e->depth >= 0)
        fprintf(f, ", \"points\": %ld", e->depth);
    fprintf(f, ", \"sets\": [");
    for (int j = 0; j < e->k; j++) {
        fprintf(f, "%s[", j ? "," : "");
        int first = 1;
        for (long r = 0; r < e->npts; r++)
            if (e->active[j * e->npts + r]) {
                fprintf(f, "%s%ld", first ? "" : ",",
                        e->pts ? e->pts[r] : r);
                first = 0;
            }
        fputc(']', f);
    }
    fputc(']', f);
}

void xt_enum_certificate_result(xt_enum_certificate *cert,
                                const xt_enum_entry *e,
                                const xt_lp_result_t lpres, int is_qp)
{
    FILE *f = entry_stream(cert);
    if (!f)
        return;
    pthread_mutex_lock(&cert->lock);
    entry_head(cert, e);
    if (lpres->status == XT_LP_INFEASIBLE) {
        fprintf(f, ", \"farkas\": ");
        write_sparse(f, lpres->y, lpres->nrows);
    } else {
        fprintf(f, ", \"bound\": ");
        write_rat(f, lpres->value);
        fprintf(f, ", \"dual\": ");
        write_sparse(f, lpres->y, lpres->nrows);
        if (is_qp) {
            fprintf(f, ", \"primal\": ");
            write_rat_array(f, lpres->x, lpres->ncols);
        }
    }
    fputc('}', f);
    cert->entries++;
    pthread_mutex_unlock(&cert->lock);
}

void xt_enum_certificate_wolfe(xt_enum_certificate *cert,
                               const xt_enum_entry *e, const mpq_t bound,
                               const mpq_t *y, long nrows, const mpq_t *x,
                               int ncols)
{
    FILE *f = entry_stream(cert);
    if (!f)
        return;
    pthread_mutex_lock(&cert->lock);
    entry_head(cert, e);
    fprintf(f, ", \"bound\": ");
    write_rat(f, bound);
    fprintf(f, ", \"dual\": ");
    write_sparse(f, y, nrows);
    fprintf(f, ", \"primal\": ");
    write_rat_array(f, x, ncols);
    fputc('}', f);
    cert->entries++;
    pthread_mutex_unlock(&cert->lock);
}

int xt_enum_certificate_close(xt_enum_certificate *cert, const char *claim,
                              const xt_network_t net, const mpq_t loss,
                              xt_error_t *err)
{
    if (!cert->open)
        return XT_OK;
    if (cert->stage != STAGE_MAIN)
        xt_enum_certificate_main(cert);
    flush_parts(cert);
    if (cert->buffered) {
        fclose(cert->part);
        free(cert->part_buf);
    }
    cert->open = 0;
    FILE *f = cert->stream;
    if (!f) {
        pthread_mutex_destroy(&cert->lock);
        return cert->failed ? XT_ERR_NOMEM : XT_OK;
    }
    fprintf(f, "\n ],\n \"claim\": \"%s\"", claim);
    if (net) {
        fprintf(f, ",\n \"loss\": ");
        write_rat(f, loss);
        fprintf(f, ",\n \"network\": ");
        xt_network_write_json(f, net);
    }
    fprintf(f, "\n}\n");
    int bad = ferror(f) || cert->failed;
    if (fclose(f) != 0)
        bad = 1;
    cert->stream = NULL;
    pthread_mutex_destroy(&cert->lock);
    if (bad) {
        xt_error_set(err, "writing the certificate failed");
        return XT_ERR_IO;
    }
    return XT_OK;
}
