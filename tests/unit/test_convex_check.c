/* Certificates of the convex search (kind "convex-tree"): NO answers from
 * every LP form, with and without symmetry breaking and output bias,
 * verify in the independent checker; YES answers verify by exact
 * evaluation; corrupted certificates (a multiplier changed, a child
 * removed, other settings, a wrong network) are rejected. */
#include <unistd.h>
#include "xt_test.h"
#include "test_convex_planted.h"
#include "../../solvers/convex/convex_internal.h"
#include "xtrain/check.h"
#include "xtrain/solve.h"

/* Reads a whole file into a malloc'd, NUL-terminated string. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + used, 1, cap - used - 1, f)) > 0) {
        used += got;
        if (used + 1 == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[used] = '\0';
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

static char cert_path[64], bad_path[64];
static long changed_rays, removed_children;

/* Checks the certificate at path; returns 1 when verified, and sets
 * *infeasible from the report. */
static int verify(const xt_instance_t inst, const char *path,
                  int *infeasible, char *why)
{
    xt_check_report_t rep;
    xt_check_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_check_certificate_file(rep, inst, path, &err);
    int ok = rc == XT_OK && rep->verified;
    if (infeasible)
        *infeasible = rep->infeasible;
    if (why)
        snprintf(why, XT_ERROR_MAX, "%s", err.message);
    if (ok)
        XT_CHECK_STR(rep->kind, "convex-tree");
    xt_check_report_clear(rep);
    return ok;
}

static int solve_to(xt_solve_result_t res, const xt_instance_t inst,
                    const xt_convex_options *copt)
{
    xt_solve_options opt;
    xt_solve_options_init(&opt);
    opt.certificate_path = cert_path;
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_convex_solve(res, inst, &opt, copt, &err);
    if (rc != XT_OK)
        XT_FAIL("convex solve failed: %s", err.message);
    return rc;
}

/* Returns a copy of text with 1 added to the multiplier of the first ray
 * entry whose row is not a constant row (i, {}) of an instance without
 * output bias, so that A^T y is no longer 0; NULL when there is none. */
static char *corrupt_multiplier(const char *text, const xt_instance_t inst)
{
    long long full = 1LL << inst->hidden;
    const char *key = "\"farkas\": [";
    for (const char *p = strstr(text, key); p; p = strstr(p + 1, key)) {
        const char *e = p + strlen(key);
        while (*e == '[') {
            char *after;
            long long row = strtoll(e + 1, &after, 10);
            const char *q0 = strchr(after, '"');
            const char *q1 = q0 ? strchr(q0 + 1, '"') : NULL;
            if (!q1)
                return NULL;
            int constant = !inst->output_bias && row < inst->n * full &&
                           row % full == 0;
            if (!constant) {
                char *old = strndup(q0 + 1, (size_t)(q1 - q0 - 1));
                mpq_t v;
                mpq_init(v);
                xt_rat_parse(v, old);
                /* v + 1 = (num + den) / den, still in lowest terms. */
                mpz_add(mpq_numref(v), mpq_numref(v), mpq_denref(v));
                free(old);
                char *value = xt_rat_to_string(v);
                mpq_clear(v);
                size_t head = (size_t)(q0 + 1 - text);
                char *out = malloc(strlen(text) + strlen(value) + 1);
                memcpy(out, text, head);
                strcpy(out + head, value);
                strcat(out, q1);
                free(value);
                return out;
            }
            e = strchr(q1, ']');
            if (!e)
                return NULL;
            e++;
            if (*e == ',')
                e++;
        }
    }
    return NULL;
}

/* Removes the first leaf that has a parent and renumbers the nodes after
 * it.  Returns 0 when the tree has no such leaf. */
static int remove_child(const char *text, char *out)
{
    const char *line = text;
    long removed = -1;
    out[0] = '\0';
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line + 1) : strlen(line);
        long id, parent;
        int off = 0;
        int fields = sscanf(line, "  {\"id\": %ld, \"parent\": %ld%n", &id,
                            &parent, &off);
        if (fields == 2 && removed < 0 && strstr(line, "\"farkas\"") &&
            strstr(line, "\"farkas\"") < line + len) {
            removed = id;
            line += len;
            continue;
        }
        if (fields == 2 && removed >= 0) {
            char head[80];
            snprintf(head, sizeof head, "  {\"id\": %ld, \"parent\": %ld",
                     id - 1, parent > removed ? parent - 1 : parent);
            strcat(out, head);
            strncat(out, line + off, len - (size_t)off);
        } else {
            strncat(out, line, len);
        }
        line += len;
    }
    /* The node before the removed one may now end the list with ",". */
    char *tail = strstr(out, ",\n ],");
    if (tail)
        memmove(tail, tail + 1, strlen(tail + 1) + 1);
    return removed >= 0;
}

/* NO certificates verify and their corruptions are rejected. */
static void check_no_certificate(const xt_instance_t inst, const char *what)
{
    char why[XT_ERROR_MAX];
    int infeasible = 0;
    if (!verify(inst, cert_path, &infeasible, why))
        XT_FAIL("%s: certificate rejected: %s", what, why);
    XT_CHECK(infeasible);

    char *text = slurp(cert_path);
    if (!text) {
        XT_FAIL("%s: cannot read the certificate", what);
        return;
    }
    char *copy = corrupt_multiplier(text, inst);
    if (copy) {
        spit(bad_path, copy);
        if (verify(inst, bad_path, NULL, NULL))
            XT_FAIL("%s: a changed multiplier was accepted", what);
        changed_rays++;
    }
    free(copy);
    char *out = malloc(strlen(text) + 1);
    if (remove_child(text, out)) {
        spit(bad_path, out);
        if (verify(inst, bad_path, NULL, NULL))
            XT_FAIL("%s: a tree with a child removed was accepted", what);
        removed_children++;
    }
    free(out);
    free(text);
}

/* Perturbed planted instances under every form and symmetry setting. */
static void test_no_certificates(uint64_t *state)
{
    xt_instance_t inst;
    xt_network_t teacher;
    xt_instance_init(inst);
    xt_network_init(teacher);
    long rounds = xt_test_scale(10), no = 0, deep = 0;
    for (long r = 0; r < rounds; r++) {
        int d = 1 + (int)(r % 2), k = 1 + (int)((r / 2) % 3);
        int bias = (int)((r / 6) % 2);
        convex_planted(inst, teacher, state, 6 + r % 7, d, k, bias);
        convex_planted_perturb(inst, state);
        for (int v = 0; v < 6; v++) {
            xt_convex_options copt;
            xt_convex_options_default(&copt);
            copt.form = (xt_convex_form)(v % 3);
            copt.symmetry = v < 3;
            xt_solve_result_t res;
            xt_solve_result_init(res);
            if (solve_to(res, inst, &copt) == XT_OK &&
                res->status == XT_SOLVE_INFEASIBLE) {
                char what[80];
                snprintf(what, sizeof what, "round %ld form %d symmetry "
                         "%d", r, v % 3, v < 3);
                check_no_certificate(inst, what);
                no++;
                deep += res->nodes > 2;
            } else if (res->status == XT_SOLVE_FEASIBLE) {
                XT_CHECK(verify(inst, cert_path, NULL, NULL));
            }
            xt_solve_result_clear(res);
        }
    }
    XT_CHECK(no > rounds);
    XT_CHECK(deep > 0);
    XT_CHECK(changed_rays > rounds);
    XT_CHECK(removed_children > rounds);
    xt_network_clear(teacher);
    xt_instance_clear(inst);
}

/* A YES certificate verifies; a changed weight breaks it; a certificate
 * for other settings is rejected. */
static void test_yes_certificate(uint64_t *state)
{
    xt_instance_t inst;
    xt_network_t teacher;
    xt_instance_init(inst);
    xt_network_init(teacher);
    convex_planted(inst, teacher, state, 40, 2, 2, 1);
    xt_convex_options copt;
    xt_convex_options_default(&copt);
    xt_solve_result_t res;
    xt_solve_result_init(res);
    solve_to(res, inst, &copt);
    XT_CHECK_INT(res->status, XT_SOLVE_FEASIBLE);
    int infeasible = 1;
    char why[XT_ERROR_MAX];
    if (!verify(inst, cert_path, &infeasible, why))
        XT_FAIL("YES certificate rejected: %s", why);
    XT_CHECK(!infeasible);

    /* Another hidden count proves something else. */
    inst->hidden = 3;
    XT_CHECK(!verify(inst, cert_path, NULL, NULL));
    inst->hidden = 2;

    /* Moving a label makes the network miss it. */
    mpq_t one;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    mpq_add(inst->y[0], inst->y[0], one);
    XT_CHECK(!verify(inst, cert_path, NULL, NULL));
    mpq_clear(one);
    xt_solve_result_clear(res);
    xt_network_clear(teacher);
    xt_instance_clear(inst);
}

/* A certificate claiming "unknown" proves nothing. */
static void test_unknown_claim(void)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_instance_resize(inst, 1, 1, 1, NULL);
    mpq_set_si(inst->y[0], -1, 1);
    inst->hidden = 1;
    inst->has_target = 1;
    inst->convex = 1;
    spit(bad_path, "{\"format\": \"xtrain-certificate\", \"version\": 1,\n"
         " \"kind\": \"convex-tree\",\n \"settings\": {\"hidden\": 1, "
         "\"loss\": \"l2\", \"output_bias\": false, \"convex\": true, "
         "\"target\": \"0\"},\n \"nodes\": [\n  {\"id\": 0, \"farkas\": "
         "[[0,\"1\"]]}\n ],\n \"claim\": \"unknown\"\n}\n");
    XT_CHECK(!verify(inst, bad_path, NULL, NULL));
    /* The same tree claiming infeasibility is a valid proof: row (0, {})
     * reads 0 <= y_0 = -1. */
    spit(bad_path, "{\"format\": \"xtrain-certificate\", \"version\": 1,\n"
         " \"kind\": \"convex-tree\",\n \"settings\": {\"hidden\": 1, "
         "\"loss\": \"l2\", \"output_bias\": false, \"convex\": true, "
         "\"target\": \"0\"},\n \"nodes\": [\n  {\"id\": 0, \"farkas\": "
         "[[0,\"1\"]]}\n ],\n \"claim\": \"infeasible\"\n}\n");
    XT_CHECK(verify(inst, bad_path, NULL, NULL));
    /* With label +1 the same ray proves nothing. */
    mpq_set_si(inst->y[0], 1, 1);
    XT_CHECK(!verify(inst, bad_path, NULL, NULL));
    xt_instance_clear(inst);
}

static void make_temp(char *path, size_t size)
{
    snprintf(path, size, "/tmp/xt_convex_check_XXXXXX");
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    uint64_t state = xt_test_seed();
    make_temp(cert_path, sizeof cert_path);
    make_temp(bad_path, sizeof bad_path);
    test_unknown_claim();
    test_no_certificates(&state);
    test_yes_certificate(&state);
    unlink(cert_path);
    unlink(bad_path);
    return xt_test_finish("test_convex_check");
}
