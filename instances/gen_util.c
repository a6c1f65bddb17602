/* Shared pieces of the generators: exact random numbers and points,
 * teacher networks, labels, exact label noise, answers and notes. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"
#include "xtrain/rat.h"

long xt_gen_int(xt_rng_t *rng, long lo, long hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    return lo + (long)xt_rng_below(rng, span);
}

void xt_gen_rat(mpq_t out, xt_rng_t *rng, long height)
{
    long p = xt_gen_int(rng, -height, height);
    long q = xt_gen_int(rng, 1, height);
    mpq_set_si(out, p, (unsigned long)q);
    mpq_canonicalize(out);
}

void xt_gen_rat_nonzero(mpq_t out, xt_rng_t *rng, long height)
{
    do
        xt_gen_rat(out, rng, height);
    while (mpq_sgn(out) == 0);
}

void xt_gen_coordinate(mpq_t out, xt_rng_t *rng, const xt_gen_options *opt)
{
    if (opt->grid)
        mpq_set_si(out, xt_gen_int(rng, -opt->coord_bound, opt->coord_bound),
                   1);
    else
        xt_gen_rat(out, rng, opt->coord_bound);
}

/* ---------------------------------------------------- distinct points */

/* Mixes the low limbs of a rational's numerator and denominator. */
static uint64_t hash_rat(uint64_t h, const mpq_t q)
{
    uint64_t num = mpz_getlimbn(mpq_numref(q), 0);
    uint64_t den = mpz_getlimbn(mpq_denref(q), 0);
    h ^= num + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h ^= den + (uint64_t)mpq_sgn(q) + (h << 6) + (h >> 2);
    return h * 0xBF58476D1CE4E5B9ull;
}

static uint64_t hash_point(const xt_instance_t inst, long i)
{
    uint64_t h = 0x243F6A8885A308D3ull;
    for (int t = 0; t < inst->d; t++)
        h = hash_rat(h, inst->x[i * inst->d + t]);
    return h;
}

static int same_point(const xt_instance_t inst, long i, long j)
{
    for (int t = 0; t < inst->d; t++)
        if (!mpq_equal(inst->x[i * inst->d + t], inst->x[j * inst->d + t]))
            return 0;
    return 1;
}

/* Open-addressing set of point indices, keyed by their coordinates. */
typedef struct {
    long *slot;      /* point index, or -1 */
    size_t mask;
} point_set;

static int point_set_init(point_set *set, long n)
{
    size_t size = 16;
    while (size < 2 * (size_t)n + 2)
        size *= 2;
    set->slot = malloc(size * sizeof *set->slot);
    set->mask = size - 1;
    if (set->slot)
        memset(set->slot, 0xff, size * sizeof *set->slot);
    return set->slot ? 0 : -1;
}

/* Adds point i unless an equal point is present; returns 1 when added. */
static int point_set_add(point_set *set, const xt_instance_t inst, long i)
{
    size_t at = (size_t)hash_point(inst, i) & set->mask;
    while (set->slot[at] >= 0) {
        if (same_point(inst, set->slot[at], i))
            return 0;
        at = (at + 1) & set->mask;
    }
    set->slot[at] = i;
    return 1;
}

/* Whether the grid [-R, R]^d has at least n points. */
static int grid_has_room(const xt_gen_options *opt, long n, int d)
{
    double side = 2.0 * (double)opt->coord_bound + 1.0, room = 1.0;
    for (int t = 0; t < d; t++)
        room *= side;
    return room >= (double)n;
}

int xt_gen_distinct_points(xt_instance_t inst, long first, xt_rng_t *rng,
                           const xt_gen_options *opt, xt_error_t *err)
{
    enum { MAX_REDRAWS = 1000 };
    point_set set;

    if (opt->grid && !grid_has_room(opt, inst->n, inst->d)) {
        xt_error_set(err, "the grid [-%ld, %ld]^%d has fewer than %ld "
                     "points; raise --coord-bound", opt->coord_bound,
                     opt->coord_bound, inst->d, inst->n);
        return XT_ERR_INPUT;
    }
    if (point_set_init(&set, inst->n) != 0) {
        xt_error_set(err, "out of memory for %ld points", inst->n);
        return XT_ERR_NOMEM;
    }
    for (long i = 0; i < first; i++)
        point_set_add(&set, inst, i);
    int rc = XT_OK;
    for (long i = first; i < inst->n && rc == XT_OK; i++) {
        int tries = 0;
        do {
            for (int t = 0; t < inst->d; t++)
                xt_gen_coordinate(inst->x[i * inst->d + t], rng, opt);
        } while (!point_set_add(&set, inst, i) && ++tries < MAX_REDRAWS);
        if (tries == MAX_REDRAWS) {
            xt_error_set(err, "no distinct point found after %d draws; "
                         "raise --coord-bound", MAX_REDRAWS);
            rc = XT_ERR_INPUT;
        }
    }
    free(set.slot);
    return rc;
}

/* ------------------------------------------------------------ teacher */

xt_gen_options xt_gen_with_defaults(const xt_gen_options *opt, int d, int k,
                                    long n)
{
    xt_gen_options copy = *opt;
    if (!copy.d)
        copy.d = d;
    if (!copy.k)
        copy.k = k;
    if (!copy.n)
        copy.n = n;
    return copy;
}

int xt_gen_check_teacher_options(const xt_gen_options *opt, xt_error_t *err)
{
    if (opt->d < 1 || opt->d > XT_MAX_DIM) {
        xt_error_set(err, "invalid dimension %d (expected 1 to %d)", opt->d,
                     XT_MAX_DIM);
    } else if (opt->k < 1 || opt->k > XT_MAX_HIDDEN) {
        xt_error_set(err, "invalid teacher size %d (expected 1 to %d "
                     "neurons)", opt->k, XT_MAX_HIDDEN);
    } else if (opt->hidden < 0 || opt->hidden > XT_MAX_HIDDEN) {
        xt_error_set(err, "invalid hidden count %d", opt->hidden);
    } else if (opt->n < 1 || opt->n > XT_GEN_MAX_POINTS) {
        xt_error_set(err, "invalid point count %ld (expected 1 to %d)",
                     opt->n, XT_GEN_MAX_POINTS);
    } else if (opt->weight_height < 1 ||
               opt->weight_height > XT_GEN_MAX_HEIGHT) {
        xt_error_set(err, "invalid weight height %ld (expected 1 to %ld)",
                     opt->weight_height, XT_GEN_MAX_HEIGHT);
    } else if (opt->coord_bound < 1 || opt->coord_bound > XT_GEN_MAX_HEIGHT) {
        xt_error_set(err, "invalid coordinate bound %ld (expected 1 to "
                     "%ld)", opt->coord_bound, XT_GEN_MAX_HEIGHT);
    } else if (opt->signs && strlen(opt->signs) != (size_t)opt->k) {
        xt_error_set(err, "sign pattern \"%s\" has %zu signs for %d "
                     "neurons", opt->signs, strlen(opt->signs), opt->k);
    } else if (opt->signs && strspn(opt->signs, "+-") != strlen(opt->signs)) {
        xt_error_set(err, "invalid sign pattern \"%s\" (expected only + "
                     "and -)", opt->signs);
    } else if (opt->signs && opt->convex) {
        xt_error_set(err, "a sign pattern and convex exclude each other "
                     "(convex means every output weight is +1)");
    } else if (opt->noise < 0 || opt->noise > opt->n) {
        xt_error_set(err, "invalid noise count %ld (expected 0 to %ld "
                     "points)", opt->noise, opt->n);
    } else {
        return XT_OK;
    }
    return XT_ERR_INPUT;
}

/* Draws one neuron's weights and bias; the weights are not all zero. */
static void draw_neuron(xt_network_t net, int j, xt_rng_t *rng, long height)
{
    int zero;
    do {
        zero = 1;
        for (int t = 0; t < net->d; t++) {
            xt_gen_rat(net->w[j * net->d + t], rng, height);
            zero &= mpq_sgn(net->w[j * net->d + t]) == 0;
        }
    } while (zero);
    xt_gen_rat(net->b[j], rng, height);
}

/* Draws output weight j: +1 (convex), or a random magnitude with the
 * sign from the pattern or a random sign. */
static void draw_output_weight(mpq_t a, int j, xt_rng_t *rng,
                               const xt_gen_options *opt)
{
    if (opt->convex) {
        mpq_set_si(a, 1, 1);
        return;
    }
    xt_gen_rat_nonzero(a, rng, opt->weight_height);
    mpq_abs(a, a);
    int negative = opt->signs ? opt->signs[j] == '-'
                              : (int)xt_gen_int(rng, 0, 1);
    if (negative)
        mpq_neg(a, a);
}

int xt_gen_teacher(xt_network_t net, xt_rng_t *rng,
                   const xt_gen_options *opt, xt_error_t *err)
{
    int rc = xt_network_resize(net, opt->d, opt->k, 1, err);
    if (rc != XT_OK)
        return rc;
    net->activation = opt->activation;
    net->threshold_output = 0;
    net->has_output_bias = opt->output_bias;
    for (int j = 0; j < opt->k; j++) {
        draw_neuron(net, j, rng, opt->weight_height);
        draw_output_weight(net->a[j], j, rng, opt);
    }
    if (opt->output_bias)
        xt_gen_rat(net->c[0], rng, opt->weight_height);
    return XT_OK;
}

void xt_gen_label(xt_instance_t inst, const xt_network_t net)
{
    for (long i = 0; i < inst->n; i++)
        xt_network_eval(inst->y + i * inst->m, net, inst->x + i * inst->d);
}

/* -------------------------------------------------------------- noise */

int xt_gen_add_noise(xt_gen_result_t res, xt_rng_t *rng,
                     const xt_gen_options *opt, xt_error_t *err)
{
    xt_instance_struct *inst = res->instance;
    if (opt->noise <= 0)
        return XT_OK;
    if (opt->noise > inst->n) {
        xt_error_set(err, "cannot move %ld labels of %ld points",
                     opt->noise, inst->n);
        return XT_ERR_INPUT;
    }
    long *order = malloc((size_t)inst->n * sizeof *order);
    if (!order) {
        xt_error_set(err, "out of memory for %ld points", inst->n);
        return XT_ERR_NOMEM;
    }
    for (long i = 0; i < inst->n; i++)
        order[i] = i;

    /* The first opt->noise entries of a partial Fisher-Yates shuffle. */
    mpq_t one;
    mpq_init(one);
    mpq_set_si(one, 1, 1);
    int rc = xt_gen_note(res, "label noise: %ld labels moved (point: "
                         "amount, 1-based)", opt->noise);
    for (long t = 0; t < opt->noise && rc == XT_OK; t++) {
        long pick = xt_gen_int(rng, t, inst->n - 1);
        long i = order[pick];
        order[pick] = order[t];
        order[t] = i;
        mpq_ptr amount = opt->noise_amount_count > 0
            ? (mpq_ptr)opt->noise_amounts[t % opt->noise_amount_count]
            : one;
        mpq_add(inst->y[i * inst->m], inst->y[i * inst->m], amount);
        char *text = xt_rat_to_string(amount);
        rc = text ? xt_gen_note(res, "  %ld: %s", i + 1, text)
                  : XT_ERR_NOMEM;
        free(text);
    }
    mpq_clear(one);
    free(order);
    if (rc == XT_ERR_NOMEM)
        xt_error_set(err, "out of memory for the notes");
    return rc;
}

/* ------------------------------------------------- settings and answer */

void xt_gen_settings(xt_instance_t inst, const xt_gen_options *opt,
                     xt_activation activation, int k, int output_bias,
                     int convex)
{
    inst->hidden = opt->hidden > 0 ? opt->hidden : k;
    inst->activation = activation;
    inst->has_activation = 1;
    inst->loss = opt->loss;
    inst->has_loss = 1;
    inst->output_bias = output_bias;
    inst->has_output_bias = 1;
    inst->convex = convex;
    inst->has_convex = convex;
}

/* Copies net into out with k neurons, the extra ones all zero: w = 0,
 * b = 0 give an inactive ReLU, [0 > 0] = 0 and a linear 0; a = +1 keeps
 * a convex network convex. */
static int pad_network(xt_network_t out, const xt_network_t net, int k,
                       xt_error_t *err)
{
    int rc = xt_network_resize(out, net->d, k, net->m, err);
    if (rc != XT_OK)
        return rc;
    out->activation = net->activation;
    out->threshold_output = net->threshold_output;
    out->has_output_bias = net->has_output_bias;
    for (int j = 0; j < k; j++) {
        for (int t = 0; t < net->d; t++)
            if (j < net->k)
                mpq_set(out->w[j * net->d + t], net->w[j * net->d + t]);
        if (j < net->k)
            mpq_set(out->b[j], net->b[j]);
        for (int o = 0; o < net->m; o++)
            mpq_set_si(out->a[o * k + j], 1, 1);
        for (int o = 0; o < net->m && j < net->k; o++)
            mpq_set(out->a[o * k + j], net->a[o * net->k + j]);
    }
    for (int o = 0; o < net->m; o++)
        mpq_set(out->c[o], net->c[o]);
    return XT_OK;
}

int xt_gen_set_answer(xt_gen_result_t res, const xt_network_t net,
                      const xt_gen_options *opt, xt_error_t *err)
{
    xt_instance_struct *inst = res->instance;
    if (inst->hidden < net->k) {
        res->has_answer = 0;
        return xt_gen_note(res, "the teacher has %d neurons, more than the "
                           "instance's %d: no answer stored", net->k,
                           inst->hidden);
    }
    int rc = pad_network(res->answer, net, inst->hidden, err);
    if (rc == XT_OK)
        rc = xt_network_loss(res->answer_loss, NULL, res->answer, inst,
                             inst->loss, err);
    if (rc != XT_OK)
        return rc;
    res->has_answer = 1;
    res->answer_optimal = mpq_sgn(res->answer_loss) == 0;
    if (res->answer_optimal && !opt->no_target) {
        inst->has_target = 1;
        mpq_set_si(inst->target, 0, 1);
    }
    return XT_OK;
}

/* -------------------------------------------------------------- notes */

int xt_gen_note(xt_gen_result_t res, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int len = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (len < 0)
        return XT_ERR_INPUT;

    size_t old = res->notes ? strlen(res->notes) : 0;
    char *grown = realloc(res->notes, old + (size_t)len + 2);
    if (!grown)
        return XT_ERR_NOMEM;
    res->notes = grown;
    va_start(args, format);
    vsnprintf(grown + old, (size_t)len + 1, format, args);
    va_end(args);
    grown[old + (size_t)len] = '\n';
    grown[old + (size_t)len + 1] = '\0';
    return XT_OK;
}

int xt_gen_note_values(xt_gen_result_t res, const char *label,
                       mpq_t *values, long count)
{
    size_t size = strlen(label) + 1, used;
    char *line = malloc(size);
    if (!line)
        return XT_ERR_NOMEM;
    memcpy(line, label, size);
    used = size - 1;
    for (long i = 0; i < count; i++) {
        char *text = xt_rat_to_string(values[i]);
        char *grown = text ? realloc(line, used + strlen(text) + 2) : NULL;
        if (!grown) {
            free(text);
            free(line);
            return XT_ERR_NOMEM;
        }
        line = grown;
        line[used++] = ' ';
        strcpy(line + used, text);
        used += strlen(text);
        free(text);
    }
    int rc = xt_gen_note(res, "%s", line);
    free(line);
    return rc;
}
