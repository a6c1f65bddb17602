/* Fuzzes the CSV reader.  The first byte chooses the number of label
 * columns (1 to 3); the rest is the file.  Oracle: an accepted file gives
 * an instance of the requested shape that survives a round trip through
 * the instance text format. */
#include <gmp.h>
#include "fuzz_util.h"
#include "xtrain/instance.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > XT_FUZZ_MAX_INPUT)
        return 0;
    int m = 1 + data[0] % 3;
    const char *path = xt_fuzz_file(data + 1, size - 1, ".csv");
    xt_instance_t inst, back;
    xt_instance_init(inst);
    xt_instance_init(back);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_instance_read_csv(inst, path, m, &err) == XT_OK) {
        XT_FUZZ_ASSERT(inst->m == m, "%d label columns, asked for %d",
                       inst->m, m);
        /* A header alone gives n = 0, as "data 0" does in the text
         * format. */
        XT_FUZZ_ASSERT(inst->d >= 1 && inst->n >= 0, "no input column");
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
        XT_FUZZ_ASSERT(back->n == inst->n && back->d == inst->d,
                       "shape changed");
        for (long i = 0; i < inst->n * inst->d; i++)
            XT_FUZZ_ASSERT(mpq_equal(inst->x[i], back->x[i]), "input %ld",
                           i);
        for (long i = 0; i < inst->n * m; i++)
            XT_FUZZ_ASSERT(mpq_equal(inst->y[i], back->y[i]), "label %ld",
                           i);
        free(text);
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    xt_instance_clear(back);
    xt_instance_clear(inst);
    return 0;
}
