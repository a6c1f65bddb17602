/* Tests of the reduction verifier itself.  It must catch a wrong size
 * formula, a forward map that misses the target, a backward map that
 * returns non-certificates and an external map command that fails.  It
 * must shrink a failing instance, and it must reject external
 * specifications with errors. */
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/reduction.h"

static const char worked[] = "p set 3 2\n1 2 0\n2 3 0\n";

static void parse(xt_clauses_t src, const char *text)
{
    xt_error_t err;
    if (xt_source_parse(src, xt_source_find("set-splitting"), text,
                        strlen(text), "test", &err) != XT_OK)
        XT_FAIL("parse failed: %s", err.message);
}

/* Runs the verifier on the worked example and returns the failure
 * message ("" when it passed). */
static const char *verify_worked(const xt_reduction *red, char *message,
                                 size_t size)
{
    xt_clauses_t src;
    xt_clauses_init(src);
    parse(src, worked);
    xt_verify_options opt;
    xt_verify_options_init(&opt);
    xt_verify_report_t rep;
    xt_verify_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_verify_instance(rep, red, src, &opt, &err) != XT_OK)
        XT_FAIL("verifier error: %s", err.message);
    snprintf(message, size, "%s", rep->failures ? rep->failure_message
                                                : "");
    xt_verify_report_clear(rep);
    xt_clauses_clear(src);
    return message;
}

static int forward_zero(const xt_reduction *r, xt_network_t out,
                        const xt_clauses_t src, const xt_instance_t inst,
                        const xt_assignment_t cert, xt_error_t *err)
{
    (void)r;
    (void)src;
    (void)cert;
    int rc = xt_network_resize(out, inst->d, 2, 1, err);
    out->activation = XT_ACT_THRESHOLD;
    out->threshold_output = 1;
    out->has_output_bias = 1;
    return rc;
}

static int backward_all_ones(const xt_reduction *r, xt_assignment_t out,
                             const xt_clauses_t src,
                             const xt_instance_t inst,
                             const xt_network_t net, xt_error_t *err)
{
    (void)r;
    (void)inst;
    (void)net;
    (void)err;
    xt_assignment_resize(out, src->nvars);
    memset(out->value, 1, (size_t)src->nvars);
    return XT_OK;
}

static void test_catches_bugs(void)
{
    const xt_reduction *good = xt_reduction_find("blum-rivest");
    char message[XT_ERROR_MAX];
    XT_CHECK_STR(verify_worked(good, message, sizeof message), "");

    xt_reduction bad = *good;
    bad.points = "n + m + 6";
    verify_worked(&bad, message, sizeof message);
    XT_CHECK(strstr(message, "size formula") != NULL);

    bad = *good;
    bad.forward = forward_zero;
    verify_worked(&bad, message, sizeof message);
    XT_CHECK(strstr(message, "forward map") != NULL);

    bad = *good;
    bad.backward = backward_all_ones;
    verify_worked(&bad, message, sizeof message);
    XT_CHECK(strstr(message, "not a certificate") != NULL);
}

/* A failing random run is shrunk to a smallest instance: with the
 * backward map that puts every element in S1, any instance with a
 * subset fails, and the smallest is 2 elements with the subset {1,2}. */
static void test_shrink(void)
{
    xt_reduction bad = *xt_reduction_find("blum-rivest");
    bad.backward = backward_all_ones;
    xt_verify_options opt;
    xt_verify_options_init(&opt);
    opt.count = 3;
    opt.min_size = 4;
    opt.max_size = 4;
    opt.vertex_limit = 0;
    xt_verify_report_t rep;
    xt_verify_report_init(rep);
    xt_error_t err;
    XT_CHECK_INT(xt_verify(rep, &bad, &opt, &err), XT_OK);
    XT_CHECK(rep->has_failure);
    XT_CHECK_INT(rep->failure->nvars, 2);
    XT_CHECK_INT(rep->failure->nclauses, 1);
    XT_CHECK_INT(rep->failure_index, -1);
    xt_verify_report_clear(rep);

    opt.shrink = 0;
    xt_verify_report_init(rep);
    XT_CHECK_INT(xt_verify(rep, &bad, &opt, &err), XT_OK);
    XT_CHECK(rep->has_failure);
    XT_CHECK_INT(rep->failure->nvars, 4);
    XT_CHECK(rep->failure_index >= 0);
    xt_verify_report_clear(rep);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    fclose(f);
    return 0;
}

static void test_external_specs(void)
{
    char dir[] = "/tmp/xt_test_reduction_XXXXXX";
    if (!mkdtemp(dir)) {
        XT_FAIL("cannot create a temporary directory");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/spec", dir);
    static const char *const bad[] = {
        "source set-splitting\nmap true\nforward true\n",
        "source nosuch\nmap true\nforward true\nbackward true\n",
        "source set-splitting\nmap true\nforward true\nbackward true\n"
        "colour blue\n",
        "source set-splitting\nmap true\nmap false\nforward true\n"
        "backward true\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        xt_reduction *r = NULL;
        xt_error_t err;
        write_file(path, bad[i]);
        if (xt_reduction_external(&r, path, &err) == XT_OK) {
            XT_FAIL("bad specification %zu was accepted", i);
            xt_reduction_external_free(r);
        }
    }

    /* A map command that fails is reported as a failed check. */
    write_file(path, "# always fails\nname failing\nsource set-splitting\n"
                     "map exit 3\nforward true\nbackward true\n");
    xt_reduction *r = NULL;
    xt_error_t err;
    XT_CHECK_INT(xt_reduction_external(&r, path, &err), XT_OK);
    if (r) {
        XT_CHECK_STR(r->name, "failing");
        char message[XT_ERROR_MAX];
        verify_worked(r, message, sizeof message);
        XT_CHECK(strstr(message, "instance map failed") != NULL);
        XT_CHECK(strstr(message, "exit status 3") != NULL);
        xt_reduction_external_free(r);
    }
    remove(path);
    rmdir(dir);
}

int main(void)
{
    xt_test_seed();
    test_catches_bugs();
    test_shrink();
    test_external_specs();
    return xt_test_finish("test_reduction");
}
