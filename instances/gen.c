/* The generator dispatcher, options, results and writers. */
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"
#include "xtrain/json.h"
#include "xtrain/rat.h"

void xt_gen_options_init(xt_gen_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->seed = 1;
    opt->activation = XT_ACT_RELU;
    opt->loss = XT_LOSS_L2;
    opt->weight_height = 3;
    opt->coord_bound = 5;
    opt->grid = 1;
    for (int i = 0; i < XT_GEN_MAX_NOISE_AMOUNTS; i++)
        mpq_init(opt->noise_amounts[i]);
    opt->flats = 2;
    opt->exponent = 20;
    opt->levees = 2;
    opt->tries = 50;
    opt->restarts = 20;
    opt->epochs = 2000;
    opt->min_failure = 0.5;
    opt->source_size = 3;
    opt->clauses = 3;
    opt->time_limit = 60;
    mpq_init(opt->label_value);
    mpq_init(opt->target);
}

void xt_gen_options_clear(xt_gen_options *opt)
{
    for (int i = 0; i < XT_GEN_MAX_NOISE_AMOUNTS; i++)
        mpq_clear(opt->noise_amounts[i]);
    mpq_clear(opt->label_value);
    mpq_clear(opt->target);
}

void xt_gen_result_init(xt_gen_result_t res)
{
    memset(res, 0, sizeof(xt_gen_result_struct));
    xt_instance_init(res->instance);
    xt_network_init(res->answer);
    mpq_init(res->answer_loss);
}

void xt_gen_result_clear(xt_gen_result_t res)
{
    xt_instance_clear(res->instance);
    xt_network_clear(res->answer);
    mpq_clear(res->answer_loss);
    free(res->notes);
    res->notes = NULL;
}

static const char *const kind_names[] = {
    "planted", "degenerate", "levee", "moment", "sgd-trap", "slice",
    "reduction", "planar-1in3"
};
enum { KIND_COUNT = sizeof kind_names / sizeof kind_names[0] };

const char *xt_gen_kind_name(xt_gen_kind kind)
{
    return (unsigned)kind < KIND_COUNT ? kind_names[kind] : "unknown";
}

int xt_gen_kind_parse(xt_gen_kind *out, const char *name)
{
    for (int i = 0; i < KIND_COUNT; i++)
        if (!strcmp(name, kind_names[i])) {
            *out = (xt_gen_kind)i;
            return 0;
        }
    return -1;
}

/* Sets the instance's target and records whether the answer meets it. */
static int set_target(xt_gen_result_t res, const mpq_t target,
                      xt_error_t *err)
{
    if (mpq_sgn(target) < 0) {
        xt_error_set(err, "invalid negative target");
        return XT_ERR_INPUT;
    }
    res->instance->has_target = 1;
    mpq_set(res->instance->target, target);
    char *text = xt_rat_to_string(target);
    int rc = text ? xt_gen_note(res, "target %s%s", text,
                                !res->has_answer ? ""
                                : mpq_cmp(res->answer_loss, target) <= 0
                                    ? ", met by the answer"
                                    : ", missed by the answer")
                  : XT_ERR_NOMEM;
    free(text);
    if (rc != XT_OK)
        xt_error_set(err, "out of memory for the notes");
    return rc;
}

int xt_gen(xt_gen_result_t res, xt_gen_kind kind, const xt_gen_options *opt,
           xt_error_t *err)
{
    xt_gen_result_clear(res);
    xt_gen_result_init(res);
    if (xt_gen_note(res, "%s instance, seed %llu", xt_gen_kind_name(kind),
                    (unsigned long long)opt->seed) != XT_OK) {
        xt_error_set(err, "out of memory for the notes");
        return XT_ERR_NOMEM;
    }
    int rc;
    switch (kind) {
    case XT_GEN_PLANTED: rc = xt_gen_planted(res, opt, err); break;
    case XT_GEN_DEGENERATE: rc = xt_gen_degenerate(res, opt, err); break;
    case XT_GEN_LEVEE: rc = xt_gen_levee(res, opt, err); break;
    case XT_GEN_MOMENT: rc = xt_gen_moment(res, opt, err); break;
    case XT_GEN_SGD_TRAP: rc = xt_gen_sgd_trap(res, opt, err); break;
    case XT_GEN_SLICE: rc = xt_gen_slice(res, opt, err); break;
    case XT_GEN_REDUCTION: rc = xt_gen_reduction(res, opt, err); break;
    case XT_GEN_PLANAR: rc = xt_gen_planar(res, opt, err); break;
    default:
        xt_error_set(err, "unknown generator kind %d", (int)kind);
        return XT_ERR_INPUT;
    }
    if (rc == XT_OK && opt->has_target)
        rc = set_target(res, opt->target, err);
    return rc;
}

/* ------------------------------------------------------------ writers */

/* Writes text as comment lines "# ...", one per line of text. */
static void write_comments(FILE *stream, const char *text)
{
    while (text && *text) {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        fputs(len ? "# " : "#", stream);
        fwrite(text, 1, len, stream);
        fputc('\n', stream);
        text += len + (end ? 1 : 0);
    }
}

void xt_gen_write_instance(FILE *stream, const xt_gen_result_t res,
                           const char *header)
{
    char *body = NULL;
    size_t size = 0;
    FILE *memory = open_memstream(&body, &size);
    if (memory) {
        xt_instance_write(memory, res->instance);
        fclose(memory);
    }
    if (!body) {
        /* Out of memory for the copy: the comments go before the header
         * line, where the reader also accepts them. */
        write_comments(stream, header);
        write_comments(stream, res->notes);
        xt_instance_write(stream, res->instance);
        return;
    }
    const char *first = strchr(body, '\n');
    size_t head = first ? (size_t)(first - body) + 1 : size;
    fwrite(body, 1, head, stream);
    write_comments(stream, header);
    write_comments(stream, res->notes);
    fwrite(body + head, 1, size - head, stream);
    free(body);
}

int xt_gen_write_certificate(FILE *stream, const xt_gen_result_t res,
                             xt_error_t *err)
{
    const xt_instance_struct *inst = res->instance;
    if (!res->has_answer) {
        xt_error_set(err, "this instance has no planted answer");
        return XT_ERR_INPUT;
    }
    if (!inst->has_target || mpq_cmp(res->answer_loss, inst->target) > 0) {
        xt_error_set(err, "the planted answer does not meet a target, so "
                     "no certificate proves anything about it; solve the "
                     "instance with xtrain solve --certificate");
        return XT_ERR_INPUT;
    }
    if (inst->m != 1 || inst->activation != XT_ACT_RELU ||
        inst->loss == XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "certificates cover one-output ReLU instances "
                     "with loss l1, l2 or linf only");
        return XT_ERR_INPUT;
    }
    fprintf(stream, "{\"format\": \"xtrain-certificate\", \"version\": 1, "
            "\"kind\": \"enum\",\n \"settings\": {\"hidden\": %d, "
            "\"loss\": \"%s\", \"output_bias\": %s, \"convex\": %s, "
            "\"target\": ", inst->hidden, xt_loss_name(inst->loss),
            inst->output_bias ? "true" : "false",
            inst->convex ? "true" : "false");
    xt_json_write_rat(stream, inst->target);
    fputs("},\n \"patterns\": [],\n \"claim\": \"feasible\",\n \"loss\": ",
          stream);
    xt_json_write_rat(stream, res->answer_loss);
    fputs(",\n \"network\": ", stream);
    xt_network_write_json(stream, res->answer);
    fputs("}\n", stream);
    return XT_OK;
}
