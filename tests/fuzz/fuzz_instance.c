/* Fuzzes the instance text reader.  Oracle: an accepted instance is
 * written back with xt_instance_write, and the written text is accepted
 * and describes the same instance. */
#include <gmp.h>
#include "fuzz_util.h"
#include "xtrain/instance.h"

static void expect_same(const xt_instance_t a, const xt_instance_t b)
{
    XT_FUZZ_ASSERT(a->d == b->d && a->m == b->m && a->n == b->n,
                   "shape %d/%d/%ld became %d/%d/%ld", a->d, a->m, a->n,
                   b->d, b->m, b->n);
    for (long i = 0; i < a->n * a->d; i++)
        XT_FUZZ_ASSERT(mpq_equal(a->x[i], b->x[i]), "input %ld", i);
    for (long i = 0; i < a->n * a->m; i++)
        XT_FUZZ_ASSERT(mpq_equal(a->y[i], b->y[i]), "label %ld", i);
    XT_FUZZ_ASSERT(a->hidden == b->hidden, "hidden %d", b->hidden);
    XT_FUZZ_ASSERT(a->activation == b->activation, "activation");
    XT_FUZZ_ASSERT(a->loss == b->loss, "loss");
    XT_FUZZ_ASSERT(a->has_target == b->has_target, "has_target");
    XT_FUZZ_ASSERT(!a->has_target || mpq_equal(a->target, b->target),
                   "target");
    XT_FUZZ_ASSERT(a->output_bias == b->output_bias, "output_bias");
    XT_FUZZ_ASSERT(a->convex == b->convex, "convex");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > XT_FUZZ_MAX_INPUT)
        return 0;
    xt_instance_t inst, back;
    xt_instance_init(inst);
    xt_instance_init(back);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_instance_read_text(inst, (const char *)data, size, "fuzz",
                              &err) == XT_OK) {
        char *text = NULL;
        size_t len = 0;
        FILE *stream = open_memstream(&text, &len);
        if (!stream)
            abort();
        xt_instance_write(stream, inst);
        fclose(stream);
        int rc = xt_instance_read_text(back, text, len, "written", &err);
        XT_FUZZ_ASSERT(rc == XT_OK, "written instance rejected: %s",
                       err.message);
        expect_same(inst, back);
        free(text);
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    xt_instance_clear(back);
    xt_instance_clear(inst);
    return 0;
}
