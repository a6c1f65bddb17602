/* Writes the enumeration solver's certificate, streamed as the search
 * runs.  The format is documented in docs/certificates.md; the checker in
 * src/check reads it without trusting any of the solver's code. */
#include <errno.h>
#include <string.h>
#include "enum_internal.h"
#include "xtrain/json.h"
#include "xtrain/rat.h"

static void write_rat(FILE *f, const mpq_t q)
{
    fputc('"', f);
    xt_rat_print(f, q);
    fputc('"', f);
}

static void write_rat_array(FILE *f, const mpq_t *v, int count)
{
    fputc('[', f);
    for (int i = 0; i < count; i++) {
        if (i)
            fputc(',', f);
        write_rat(f, v[i]);
    }
    fputc(']', f);
}

int xt_enum_certificate_open(xt_enum_certificate *cert, const char *path,
                             const xt_instance_t inst, int k,
                             xt_error_t *err)
{
    cert->entries = 0;
    cert->stream = fopen(path, "w");
    if (!cert->stream) {
        xt_error_set(err, "cannot write certificate %s: %s", path,
                     strerror(errno));
        return XT_ERR_IO;
    }
    FILE *f = cert->stream;
    fprintf(f, "{\"format\": \"xtrain-certificate\", \"version\": 1,\n"
               " \"kind\": \"enum\",\n \"settings\": {\"hidden\": %d, "
               "\"loss\": \"%s\", \"output_bias\": %s, \"convex\": %s",
            k, xt_loss_name(inst->loss),
            inst->output_bias ? "true" : "false",
            inst->convex ? "true" : "false");
    if (inst->has_target) {
        fprintf(f, ", \"target\": ");
        write_rat(f, inst->target);
    }
    fprintf(f, "},\n \"patterns\": [\n");
    return XT_OK;
}

void xt_enum_certificate_pattern(xt_enum_certificate *cert,
                                 const xt_dichotomy_list *sets,
                                 const xt_pattern *pat,
                                 const xt_lp_result_t lpres, int is_qp)
{
    FILE *f = cert->stream;
    if (!f)
        return;
    fprintf(f, "%s  {\"signs\": [", cert->entries ? ",\n" : "");
    for (int j = 0; j < pat->k; j++)
        fprintf(f, "%s%d", j ? "," : "", pat->sign[j]);
    fprintf(f, "], \"sets\": [");
    for (int j = 0; j < pat->k; j++) {
        fprintf(f, "%s[", j ? "," : "");
        int first = 1;
        for (long i = 0; i < sets->n; i++)
            if (xt_dichotomy_has(sets, pat->set[j], i)) {
                fprintf(f, "%s%ld", first ? "" : ",", i);
                first = 0;
            }
        fputc(']', f);
    }
    fputc(']', f);
    if (lpres->status == XT_LP_INFEASIBLE) {
        fprintf(f, ", \"farkas\": ");
        write_rat_array(f, lpres->y, lpres->nrows);
    } else {
        fprintf(f, ", \"bound\": ");
        write_rat(f, lpres->value);
        fprintf(f, ", \"dual\": ");
        write_rat_array(f, lpres->y, lpres->nrows);
        if (is_qp) {
            fprintf(f, ", \"primal\": ");
            write_rat_array(f, lpres->x, lpres->ncols);
        }
    }
    fputc('}', f);
    cert->entries++;
}

int xt_enum_certificate_close(xt_enum_certificate *cert, const char *claim,
                              const xt_network_t net, const mpq_t loss,
                              xt_error_t *err)
{
    FILE *f = cert->stream;
    if (!f)
        return XT_OK;
    fprintf(f, "\n ],\n \"claim\": \"%s\"", claim);
    if (net) {
        fprintf(f, ",\n \"loss\": ");
        write_rat(f, loss);
        fprintf(f, ",\n \"network\": ");
        xt_network_write_json(f, net);
    }
    fprintf(f, "\n}\n");
    int bad = ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    cert->stream = NULL;
    if (bad) {
        xt_error_set(err, "writing the certificate failed");
        return XT_ERR_IO;
    }
    return XT_OK;
}
