/* Fuzzes the readers of the reductions module.  The first byte chooses
 * the reader: a source problem's DIMACS-like format, the certificate
 * ("s"/"v" lines) format with 1 to 16 variables, or a size formula.
 * Oracle: accepted clauses and certificates are written back, read
 * again, and compared; a size formula is evaluated twice with the same
 * result. */
#include "fuzz_util.h"
#include "xtrain/reduction.h"

static int count_problems(void)
{
    int count = 0;
    while (xt_source_problems[count])
        count++;
    return count;
}

static char *write_to_string(size_t *len, const xt_source_problem *p,
                             const xt_clauses_t src,
                             const xt_certificate_list *list)
{
    char *text = NULL;
    FILE *stream = open_memstream(&text, len);
    if (!stream)
        abort();
    if (p)
        xt_source_write(stream, p, src);
    else
        xt_certificates_write(stream, list);
    fclose(stream);
    return text;
}

static void fuzz_clauses(const xt_source_problem *p, const char *text,
                         size_t len)
{
    xt_clauses_t src, back;
    xt_clauses_init(src);
    xt_clauses_init(back);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_source_parse(src, p, text, len, "fuzz", &err) == XT_OK) {
        size_t wlen = 0;
        char *written = write_to_string(&wlen, p, src, NULL);
        int rc = xt_source_parse(back, p, written, wlen, "written", &err);
        XT_FUZZ_ASSERT(rc == XT_OK, "%s: written instance rejected: %s",
                       p->name, err.message);
        XT_FUZZ_ASSERT(back->nvars == src->nvars &&
                           back->nclauses == src->nclauses,
                       "%s: size changed", p->name);
        for (int j = 0; j < src->nclauses; j++) {
            int size = xt_clause_size(src, j);
            XT_FUZZ_ASSERT(size == xt_clause_size(back, j),
                           "%s: clause %d", p->name, j);
            XT_FUZZ_ASSERT(!memcmp(xt_clause_lits(src, j),
                                   xt_clause_lits(back, j),
                                   (size_t)size * sizeof(int)),
                           "%s: clause %d", p->name, j);
        }
        free(written);
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    xt_clauses_clear(back);
    xt_clauses_clear(src);
}

static void fuzz_certificates(int n, const char *text, size_t len)
{
    xt_certificate_list list, back;
    xt_certificate_list_init(&list, n);
    xt_certificate_list_init(&back, n);
    xt_error_t err;
    xt_error_clear(&err);
    if (xt_certificates_parse(&list, n, text, len, "fuzz", &err) == XT_OK) {
        size_t wlen = 0;
        char *written = write_to_string(&wlen, NULL, NULL, &list);
        int rc = xt_certificates_parse(&back, n, written, wlen, "written",
                                       &err);
        XT_FUZZ_ASSERT(rc == XT_OK, "written certificates rejected: %s",
                       err.message);
        XT_FUZZ_ASSERT(back.count == list.count, "%ld certificates became "
                       "%ld", list.count, back.count);
        XT_FUZZ_ASSERT(list.count == 0 ||
                           !memcmp(list.values, back.values,
                                   (size_t)list.count * (size_t)n),
                       "certificate values changed");
        free(written);
    } else {
        XT_FUZZ_ASSERT(err.message[0] != '\0', "rejected without message");
    }
    xt_certificate_list_clear(&back);
    xt_certificate_list_clear(&list);
}

static void fuzz_formula(const char *text)
{
    static const char *const names[] = {"n", "m", "k"};
    static const long values[] = {7, 3, 1000003};
    long first = 0, second = 0;
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_formula_eval(&first, text, names, values, 3, &err);
    int again = xt_formula_eval(&second, text, names, values, 3, &err);
    XT_FUZZ_ASSERT(rc == again, "status changed between two evaluations");
    XT_FUZZ_ASSERT(rc != XT_OK || first == second, "value changed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > XT_FUZZ_MAX_INPUT)
        return 0;
    int problems = count_problems();
    int choice = data[0] % (problems + 2);
    char *text = xt_fuzz_string(data + 1, size - 1);
    if (choice < problems)
        fuzz_clauses(xt_source_problems[choice], text, size - 1);
    else if (choice == problems)
        fuzz_certificates(1 + (data[0] / (problems + 2)) % 16, text,
                          size - 1);
    else
        fuzz_formula(text);
    free(text);
    return 0;
}
