/* Writes the convex search's certificate (docs/certificates.md, kind
 * "convex-tree"): the search tree in preorder, streamed while the search
 * runs.  A YES answer replaces the tree with the network. */
#include <errno.h>
#include <string.h>
#include "convex_internal.h"
#include "xtrain/json.h"
#include "xtrain/rat.h"

static void write_header(FILE *f, const xt_instance_t inst)
{
    fprintf(f, "{\"format\": \"xtrain-certificate\", \"version\": 1,\n"
               " \"kind\": \"convex-tree\",\n \"settings\": {\"hidden\": "
               "%d, \"loss\": \"%s\", \"output_bias\": %s, \"convex\": %s",
            inst->hidden, xt_loss_name(inst->loss),
            inst->output_bias ? "true" : "false",
            inst->convex ? "true" : "false");
    if (inst->has_target) {
        fprintf(f, ", \"target\": ");
        xt_json_write_rat(f, inst->target);
    }
    fprintf(f, "}");
}

int xt_convex_certificate_open(xt_convex_certificate *cert,
                               const char *path, const xt_instance_t inst,
                               xt_error_t *err)
{
    cert->entries = 0;
    cert->path = path;
    cert->stream = fopen(path, "w");
    if (!cert->stream) {
        xt_error_set(err, "cannot write certificate %s: %s", path,
                     strerror(errno));
        return XT_ERR_IO;
    }
    write_header(cert->stream, inst);
    fprintf(cert->stream, ",\n \"nodes\": [\n");
    return XT_OK;
}

/* Starts a node object: id, and parent and subset unless it is the
 * root. */
static void begin_node(xt_convex_certificate *cert, long id, long parent,
                       unsigned subset, int k)
{
    FILE *f = cert->stream;
    fprintf(f, "%s  {\"id\": %ld", cert->entries ? ",\n" : "", id);
    if (parent >= 0) {
        fprintf(f, ", \"parent\": %ld, \"subset\": [", parent);
        int first = 1;
        for (int j = 0; j < k; j++)
            if ((subset >> j) & 1u) {
                fprintf(f, first ? "%d" : ",%d", j);
                first = 0;
            }
        fputc(']', f);
    }
    cert->entries++;
}

void xt_convex_certificate_inner(xt_convex_certificate *cert, long id,
                                 long parent, unsigned subset, int k,
                                 long point)
{
    if (!cert->stream)
        return;
    begin_node(cert, id, parent, subset, k);
    fprintf(cert->stream, ", \"point\": %ld}", point);
}

void xt_convex_certificate_leaf(xt_convex_certificate *cert, long id,
                                long parent, unsigned subset, int k,
                                const long *rows, const mpq_t *values,
                                long len)
{
    if (!cert->stream)
        return;
    FILE *f = cert->stream;
    begin_node(cert, id, parent, subset, k);
    fprintf(f, ", \"farkas\": [");
    for (long r = 0; r < len; r++) {
        fprintf(f, "%s[%ld,", r ? "," : "", rows[r]);
        xt_json_write_rat(f, values[r]);
        fputc(']', f);
    }
    fprintf(f, "]}");
}

int xt_convex_certificate_close(xt_convex_certificate *cert,
                                const xt_instance_t inst, const char *claim,
                                const xt_network_t net, xt_error_t *err)
{
    FILE *f = cert->stream;
    if (!f)
        return XT_OK;
    int bad = 0;
    if (net && !strcmp(claim, "feasible")) {
        /* The tree explored before the fit proves nothing: start over. */
        bad = fclose(f) != 0;
        f = cert->stream = fopen(cert->path, "w");
        if (!f) {
            xt_error_set(err, "cannot write certificate %s: %s",
                          cert->path, strerror(errno));
            return XT_ERR_IO;
        }
        write_header(f, inst);
        fprintf(f, ",\n \"claim\": \"%s\",\n \"loss\": \"0\",\n "
                   "\"network\": ", claim);
        xt_network_write_json(f, net);
    } else {
        fprintf(f, "\n ],\n \"claim\": \"%s\"", claim);
    }
    fprintf(f, "\n}\n");
    if (ferror(f))
        bad = 1;
    if (fclose(f) != 0)
        bad = 1;
    cert->stream = NULL;
    if (bad) {
        xt_error_set(err, "writing the certificate %s failed", cert->path);
        return XT_ERR_IO;
    }
    return XT_OK;
}
