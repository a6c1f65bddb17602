/* Training instances from hardness reductions: a source instance (drawn
 * by the source problem's own random generator, or read from a file) is
 * mapped through a reduction of reduction.h.  When the source is small
 * enough for brute force, its first certificate is mapped forward; that
 * network meets the instance's target and is stored as the answer.  A
 * source without certificates gives an instance that the reduction, if
 * correct, makes infeasible: no answer is stored, and the notes say so. */
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"
#include "xtrain/reduction.h"

/* Writes the source instance into the notes, one "source: " line per
 * line of its file format. */
static int note_source(xt_gen_result_t res, const xt_source_problem *p,
                       const xt_clauses_t src)
{
    char *text = NULL;
    size_t size = 0;
    FILE *memory = open_memstream(&text, &size);
    if (!memory)
        return XT_ERR_NOMEM;
    xt_source_write(memory, p, src);
    fclose(memory);
    if (!text)
        return XT_ERR_NOMEM;
    int rc = XT_OK;
    for (char *line = text; rc == XT_OK && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        rc = xt_gen_note(res, "source: %s", line);
        line = end ? end + 1 : line + strlen(line);
    }
    free(text);
    return rc;
}

static int load_source(xt_clauses_t src, const xt_source_problem *p,
                       const xt_gen_options *opt, xt_error_t *err)
{
    if (opt->source_path)
        return xt_source_read_file(src, p, opt->source_path, err);
    if (opt->source_size < 1 || opt->source_size > XT_SOURCE_MAX_BRUTE_VARS) {
        xt_error_set(err, "invalid source size %d (expected 1 to %d)",
                     opt->source_size, XT_SOURCE_MAX_BRUTE_VARS);
        return XT_ERR_INPUT;
    }
    uint64_t state = opt->seed;
    int rc = p->random(src, &state, opt->source_size, opt->planted);
    if (rc != XT_OK)
        xt_error_set(err, "out of memory for a source instance");
    return rc;
}

/* Lists the source's certificates and maps the first one forward into
 * the answer.  Sources too large for brute force get no answer. */
static int plant_answer(xt_gen_result_t res, const xt_reduction *red,
                        const xt_clauses_t src, xt_error_t *err)
{
    if (src->nvars > XT_SOURCE_MAX_BRUTE_VARS)
        return xt_gen_note(res, "source too large for brute force: no "
                           "answer stored");
    xt_certificate_list list;
    xt_assignment_t cert;
    xt_certificate_list_init(&list, src->nvars);
    xt_assignment_init(cert);
    int rc = xt_source_solve(&list, red->source, src, err);
    if (rc == XT_OK && list.count == 0)
        rc = xt_gen_note(res, "the source has no solution, so a correct "
                         "reduction makes this instance infeasible");
    if (rc == XT_OK && list.count > 0) {
        rc = xt_certificate_list_get(cert, &list, 0);
        if (rc == XT_OK)
            rc = red->forward(red, res->answer, src, res->instance, cert,
                              err);
        if (rc == XT_OK)
            rc = xt_network_loss(res->answer_loss, NULL, res->answer,
                                 res->instance, res->instance->loss, err);
        if (rc == XT_OK) {
            res->has_answer = 1;
            res->answer_optimal = mpq_sgn(res->answer_loss) == 0;
            rc = xt_gen_note(res, "the source has %ld solutions; the answer "
                             "maps the first forward", list.count);
        }
    }
    xt_assignment_clear(cert);
    xt_certificate_list_clear(&list);
    return rc;
}

int xt_gen_reduction(xt_gen_result_t res, const xt_gen_options *opt,
                     xt_error_t *err)
{
    if (!opt->reduction) {
        xt_error_set(err, "a reduction instance needs the reduction's name "
                     "(--reduction NAME)");
        return XT_ERR_INPUT;
    }
    const xt_reduction *red = xt_reduction_find(opt->reduction);
    if (!red) {
        char names[256] = "";
        for (int i = 0; xt_reductions[i]; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names),
                     "%s%s", i ? ", " : "", xt_reductions[i]->name);
        xt_error_set(err, "unknown reduction \"%s\" (expected one of %s)",
                     opt->reduction, names);
        return XT_ERR_INPUT;
    }
    xt_clauses_t src;
    xt_clauses_init(src);
    int rc = load_source(src, red->source, opt, err);
    if (rc == XT_OK)
        rc = red->map(red, res->instance, src, err);
    if (rc == XT_OK)
        rc = xt_gen_note(res, "reduction %s: %s (%s)", red->name,
                         red->summary, red->citation);
    if (rc == XT_OK)
        rc = xt_gen_note(res, "source problem %s, %s%s", red->source->name,
                         opt->source_path ? "read from a file"
                                          : "random instance",
                         !opt->source_path && opt->planted
                             ? " with a planted solution" : "");
    if (rc == XT_OK)
        rc = note_source(res, red->source, src);
    if (rc == XT_OK)
        rc = plant_answer(res, red, src, err);
    xt_clauses_clear(src);
    return rc;
}
