/* Fuzzes the certificate checker.  The first byte chooses one of a few
 * small instances and settings; the rest is the certificate file.
 *
 * Oracle (soundness): the optimum of each setting is known by hand.  A
 * certificate that verifies must not prove a lower bound above it, must
 * not prove a reachable target infeasible, and must not claim a network
 * whose exact loss is below it. */
#include <gmp.h>
#include "fuzz_util.h"
#include "xtrain/check.h"
#include "xtrain/instance.h"

typedef struct {
    const char *text;
    int hidden;
    const char *optimum;    /* without the target */
} setting;

/* The optima, derived by hand (each also agrees with xtrain solve):
 *   XOR, one neuron, l2: 1 (derived in tests/unit/test_enum.c; the
 *     constant 1/2 reaches it).
 *   XOR at target 99/100: the same optimum, so the target is infeasible.
 *   The hat (0, 0, 1, 0, 0) on -2..2, one neuron, l1, output bias: 1.
 *     Every such network is monotone, and for a nondecreasing f,
 *     |1 - f(0)| + |f(1)| >= 1 - f(0) + f(1) >= 1 (the other direction
 *     uses f(-1)); the constant 0 reaches 1.
 *   |x| on -1, 0, 1, convex, target 0: two neurons fit it exactly
 *     (relu(x) + relu(-x)).  One neuron is affine where it is positive
 *     and 0 elsewhere, and the best case is the constant 2/3 (l2 loss
 *     2/3); a zero at -1 or at 0 costs at least 1.
 *   XOR, two neurons, linf: 0 (relu(x1 - x2) + relu(x2 - x1)). */
static const setting settings[] = {
    {"xtrain-instance 1\ninputs 2\ndata 4\n0 0 0\n1 0 1\n0 1 1\n1 1 0\n",
     1, "1"},
    {"xtrain-instance 1\ninputs 2\ntarget 99/100\ndata 4\n"
     "0 0 0\n1 0 1\n0 1 1\n1 1 0\n", 1, "1"},
    {"xtrain-instance 1\ninputs 1\nloss l1\noutput-bias yes\ndata 5\n"
     "-2 0\n-1 0\n0 1\n1 0\n2 0\n", 1, "1"},
    {"xtrain-instance 1\ninputs 1\nconvex yes\ntarget 0\ndata 3\n"
     "-1 1\n0 0\n1 1\n", 2, "0"},
    {"xtrain-instance 1\ninputs 1\nconvex yes\ntarget 0\ndata 3\n"
     "-1 1\n0 0\n1 1\n", 1, "2/3"},
    {"xtrain-instance 1\ninputs 2\nloss linf\ndata 4\n"
     "0 0 0\n1 0 1\n0 1 1\n1 1 0\n", 2, "0"},
};
#define SETTINGS (sizeof settings / sizeof *settings)

static xt_instance_t instances[SETTINGS];
static mpq_t optimum[SETTINGS];
static int ready;

static void prepare(void)
{
    for (size_t s = 0; s < SETTINGS; s++) {
        xt_error_t err;
        xt_error_clear(&err);
        xt_instance_init(instances[s]);
        mpq_init(optimum[s]);
        if (xt_instance_read_string(instances[s], settings[s].text, "fixed",
                                    &err) != XT_OK ||
            mpq_set_str(optimum[s], settings[s].optimum, 10) != 0)
            abort();
        instances[s]->hidden = settings[s].hidden;
    }
    ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > XT_FUZZ_MAX_INPUT)
        return 0;
    if (!ready)
        prepare();
    size_t s = data[0] % SETTINGS;
    const char *path = xt_fuzz_file(data + 1, size - 1, "");
    xt_check_report_t rep;
    xt_check_report_init(rep);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_check_certificate_file(rep, instances[s], path, &err);
    if (rc == XT_OK && rep->verified) {
        const xt_instance_struct *inst = instances[s];
        XT_FUZZ_ASSERT(!rep->has_lower ||
                           mpq_cmp(rep->lower, optimum[s]) <= 0,
                       "setting %zu: proven lower bound above the optimum",
                       s);
        XT_FUZZ_ASSERT(!rep->has_upper ||
                           mpq_cmp(rep->upper, optimum[s]) >= 0,
                       "setting %zu: network loss below the optimum", s);
        XT_FUZZ_ASSERT(!rep->infeasible ||
                           (inst->has_target &&
                            mpq_cmp(optimum[s], inst->target) > 0),
                       "setting %zu: reachable target proven infeasible",
                       s);
    } else if (rc != XT_OK || !rep->verified) {
        XT_FUZZ_ASSERT(err.message[0] != '\0',
                       "rejected without a message");
    }
    xt_check_report_clear(rep);
    return 0;
}
