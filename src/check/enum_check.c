/* Verifies an enumeration certificate (docs/certificates.md) without any
 * LP or solver code.
 *
 * The claim "the optimum is L" needs two things.  Upper bound: the
 * certificate's network has exact loss L.  Lower bound: every activation
 * pattern up to the symmetries below has a subproblem whose value is at
 * least L, shown by an exact dual certificate:
 *   LP (l1, linf)  y >= 0 with A^T y = c: every feasible point costs at
 *                  least b . y (weak duality);
 *   QP (l2)        (x', y), y >= 0, 2 M^T (M x' - t) = A^T y: every
 *                  feasible point costs at least f(x') + y . (b - A x'),
 *                  because f is convex and f(x) >= f(x') + grad . (x - x');
 *   infeasible     y >= 0, A^T y = 0, b . y > 0 (Farkas).
 * The patterns are re-derived here from the data: every neuron's active
 * set is an affine dichotomy, output weights are +1 or -1 by positive
 * homogeneity, and neurons of equal sign can be permuted, so it suffices
 * that each multiset of dichotomies per sign class is covered. */
#include <stdlib.h>
#include <string.h>
#include "check_internal.h"
#include "xtrain/arrangement.h"
#include "xtrain/network.h"
#include "xtrain/rat.h"

typedef struct {
    const xt_instance_struct *inst;
    const char *path;
    int k, d, ncols, bias_col, aux_col;
    long n, nrows;
    xt_loss loss;
    size_t words;
    /* Scratch. */
    mpq_t *row, *acc, *x;
    mpq_t rhs, sum, tmp;
} checker;

/* One certificate entry after parsing, and its canonical key. */
typedef struct {
    uint64_t *key;      /* positives first, each class sorted */
    int positives;
    int has_bound;      /* 0: proven infeasible */
    int initialized;    /* bound was initialized */
    mpq_t bound;
} entry;

static int cmp_words(const uint64_t *a, const uint64_t *b, size_t words)
{
    for (size_t w = words; w-- > 0;)
        if (a[w] != b[w])
            return a[w] < b[w] ? -1 : 1;
    return 0;
}

/* Row r of the pattern's constraint matrix (see the layout in
 * docs/certificates.md): activation rows (j, i) first, then two loss rows
 * per point for l1 and linf. */
static void make_row(checker *c, const int *sign, uint64_t *const *sets,
                     long r)
{
    int d = c->d;
    for (int col = 0; col < c->ncols; col++)
        mpq_set_ui(c->row[col], 0, 1);
    mpq_set_ui(c->rhs, 0, 1);
    if (r < (long)c->k * c->n) {
        int j = (int)(r / c->n);
        long i = r % c->n;
        int in = (int)((sets[j][i / 64] >> (i % 64)) & 1);
        for (int t = 0; t < d; t++) {
            mpq_set(c->row[j * (d + 1) + t], c->inst->x[i * d + t]);
            if (!in)
                mpq_neg(c->row[j * (d + 1) + t], c->row[j * (d + 1) + t]);
        }
        mpq_set_si(c->row[j * (d + 1) + d], in ? 1 : -1, 1);
        return;
    }
    long q = r - (long)c->k * c->n;
    long i = q / 2;
    int plus = (int)(q % 2); /* 0: aux - r_i >= 0, 1: aux + r_i >= 0 */
    for (int j = 0; j < c->k; j++)
        if ((sets[j][i / 64] >> (i % 64)) & 1)
            for (int t = 0; t <= d; t++) {
                int col = j * (d + 1) + t;
                if (t < d)
                    mpq_set(c->row[col], c->inst->x[i * d + t]);
                else
                    mpq_set_ui(c->row[col], 1, 1);
                if ((sign[j] > 0) != plus)
                    mpq_neg(c->row[col], c->row[col]);
            }
    if (c->bias_col >= 0)
        mpq_set_si(c->row[c->bias_col], plus ? 1 : -1, 1);
    int aux = c->loss == XT_LOSS_L1 ? c->aux_col + (int)i : c->aux_col;
    mpq_set_ui(c->row[aux], 1, 1);
    mpq_set(c->rhs, c->inst->y[i]);
    if (!plus)
        mpq_neg(c->rhs, c->rhs);
}

/* sum = g_i . x - y_i for the pattern's output at point i. */
static void residual(checker *c, mpq_t out, const int *sign,
                     uint64_t *const *sets, long i, const mpq_t *x)
{
    int d = c->d;
    mpq_neg(out, c->inst->y[i]);
    for (int j = 0; j < c->k; j++) {
        if (!((sets[j][i / 64] >> (i % 64)) & 1))
            continue;
        mpq_set(c->tmp, x[j * (d + 1) + d]);
        for (int t = 0; t < d; t++) {
            mpq_t p;
            mpq_init(p);
            mpq_mul(p, x[j * (d + 1) + t], c->inst->x[i * d + t]);
            mpq_add(c->tmp, c->tmp, p);
            mpq_clear(p);
        }
        if (sign[j] > 0)
            mpq_add(out, out, c->tmp);
        else
            mpq_sub(out, out, c->tmp);
    }
    if (c->bias_col >= 0)
        mpq_add(out, out, x[c->bias_col]);
}

/* Adds coef * (gradient of r_i with respect to the weights) to acc. */
static void add_residual_gradient(checker *c, const int *sign,
                                  uint64_t *const *sets, long i,
                                  const mpq_t coef)
{
    int d = c->d;
    for (int j = 0; j < c->k; j++) {
        if (!((sets[j][i / 64] >> (i % 64)) & 1))
            continue;
        for (int t = 0; t <= d; t++) {
            if (t < d)
                mpq_mul(c->tmp, coef, c->inst->x[i * d + t]);
            else
                mpq_set(c->tmp, coef);
            if (sign[j] > 0)
                mpq_add(c->acc[j * (d + 1) + t], c->acc[j * (d + 1) + t],
                        c->tmp);
            else
                mpq_sub(c->acc[j * (d + 1) + t], c->acc[j * (d + 1) + t],
                        c->tmp);
        }
    }
    if (c->bias_col >= 0)
        mpq_add(c->acc[c->bias_col], c->acc[c->bias_col], coef);
}

/* Verifies y (and x for l2) and sets e->bound, or returns -1 with err. */
static int verify_entry(checker *c, entry *e, const int *sign,
                        uint64_t *const *sets, const xt_json *item,
                        xt_error_t *err)
{
    const xt_json *farkas = xt_json_get(item, "farkas");
    const xt_json *dual = xt_json_get(item, "dual");
    int is_qp = c->loss == XT_LOSS_L2;
    long nrows = c->nrows;
    mpq_t *y = xt_rat_array_new((size_t)nrows + 1);
    int ok = -1;

    if (xt_check_json_rat_array(y, nrows, farkas ? farkas : dual,
                                farkas ? "farkas" : "dual", c->path, err))
        goto out;
    if (!farkas && is_qp &&
        xt_check_json_rat_array(c->x, c->ncols, xt_json_get(item, "primal"),
                                "primal", c->path, err))
        goto out;

    for (int col = 0; col < c->ncols; col++)
        mpq_set_ui(c->acc[col], 0, 1);
    mpq_set_ui(c->sum, 0, 1);    /* y . (b - A x) or y . b */
    for (long r = 0; r < nrows; r++) {
        if (mpq_sgn(y[r]) < 0) {
            xt_error_at(err, c->path, item->line, "negative multiplier in "
                        "row %ld", r);
            goto out;
        }
        if (!mpq_sgn(y[r]))
            continue;
        make_row(c, sign, sets, r);
        for (int col = 0; col < c->ncols; col++) {
            mpq_mul(c->tmp, y[r], c->row[col]);
            mpq_sub(c->acc[col], c->acc[col], c->tmp);  /* acc -= A^T y */
            if (!farkas && is_qp) {
                mpq_mul(c->tmp, c->tmp, c->x[col]);
                mpq_sub(c->sum, c->sum, c->tmp);        /* - y A x */
            }
        }
        mpq_mul(c->tmp, y[r], c->rhs);
        mpq_add(c->sum, c->sum, c->tmp);                /* + y b */
    }

    if (farkas) {
        /* A^T y = 0 and b . y > 0. */
        for (int col = 0; col < c->ncols; col++)
            if (mpq_sgn(c->acc[col])) {
                xt_error_at(err, c->path, item->line, "Farkas ray: A^T y "
                            "is not 0 in column %d", col);
                goto out;
            }
        if (mpq_sgn(c->sum) <= 0) {
            xt_error_at(err, c->path, item->line, "Farkas ray: b . y is "
                        "not positive");
            goto out;
        }
        e->has_bound = 0;
        ok = 0;
        goto out;
    }

    if (is_qp) {
        /* acc += 2 M^T (M x - t), which must give 0; f(x) into the sum. */
        mpq_t r2, two_r;
        mpq_inits(r2, two_r, NULL);
        for (long i = 0; i < c->n; i++) {
            residual(c, r2, sign, sets, i, c->x);
            mpq_add(two_r, r2, r2);
            add_residual_gradient(c, sign, sets, i, two_r);
            mpq_mul(r2, r2, r2);
            mpq_add(c->sum, c->sum, r2);
        }
        mpq_clears(r2, two_r, NULL);
    } else {
        /* acc += c (1 on every loss variable). */
        int count = c->loss == XT_LOSS_L1 ? (int)c->n : 1;
        mpq_set_ui(c->tmp, 1, 1);
        for (int t = 0; t < count; t++)
            mpq_add(c->acc[c->aux_col + t], c->acc[c->aux_col + t], c->tmp);
    }
    for (int col = 0; col < c->ncols; col++)
        if (mpq_sgn(c->acc[col])) {
            xt_error_at(err, c->path, item->line, "dual certificate: "
                        "stationarity fails in column %d", col);
            goto out;
        }
    e->has_bound = 1;
    mpq_set(e->bound, c->sum);
    ok = 0;
out:
    xt_rat_array_free(y, (size_t)nrows + 1);
    return ok;
}

/* Parses an entry's signs and sets into sign[] and sets[] (bitsets). */
static int parse_pattern(checker *c, int *sign, uint64_t **sets,
                         const xt_json *item, xt_error_t *err)
{
    const xt_json *signs = xt_json_get(item, "signs");
    const xt_json *active = xt_json_get(item, "sets");
    if (!signs || signs->type != XT_JSON_ARRAY || (int)signs->count != c->k ||
        !active || active->type != XT_JSON_ARRAY ||
        (int)active->count != c->k) {
        xt_error_at(err, c->path, item->line, "pattern needs \"signs\" and "
                    "\"sets\" with %d entries each", c->k);
        return -1;
    }
    for (int j = 0; j < c->k; j++) {
        const xt_json *s = signs->items[j];
        if (s->type != XT_JSON_NUMBER ||
            (strcmp(s->text, "1") && strcmp(s->text, "-1"))) {
            xt_error_at(err, c->path, s->line, "sign must be 1 or -1");
            return -1;
        }
        sign[j] = s->text[0] == '-' ? -1 : 1;
        if (c->inst->convex && sign[j] < 0) {
            xt_error_at(err, c->path, s->line, "sign -1 in a convex "
                        "instance");
            return -1;
        }
        memset(sets[j], 0, c->words * sizeof(uint64_t));
        const xt_json *list = active->items[j];
        if (list->type != XT_JSON_ARRAY) {
            xt_error_at(err, c->path, list->line, "set must be an array");
            return -1;
        }
        for (size_t q = 0; q < list->count; q++) {
            const xt_json *v = list->items[q];
            char *end = NULL;
            long i = v->type == XT_JSON_NUMBER ? strtol(v->text, &end, 10)
                                               : -1;
            if (i < 0 || i >= c->n || (end && *end)) {
                xt_error_at(err, c->path, v->line, "point index out of "
                            "range");
                return -1;
            }
            sets[j][i / 64] |= (uint64_t)1 << (i % 64);
        }
    }
    return 0;
}

/* Builds the canonical key: positive neurons first, each class sorted. */
static void make_key(checker *c, uint64_t *key, int *positives,
                     const int *sign, uint64_t *const *sets)
{
    int p = 0;
    for (int j = 0; j < c->k; j++)
        p += sign[j] > 0;
    *positives = p;
    int pos = 0, neg = p;
    for (int j = 0; j < c->k; j++) {
        int slot = sign[j] > 0 ? pos++ : neg++;
        memcpy(key + (size_t)slot * c->words, sets[j],
               c->words * sizeof(uint64_t));
    }
    /* Insertion sort inside each class; k is small. */
    uint64_t *t = malloc(c->words * sizeof(uint64_t));
    for (int lo = 0, hi = p; lo < c->k; lo = hi, hi = c->k)
        for (int a = lo + 1; a < hi; a++) {
            memcpy(t, key + (size_t)a * c->words, c->words * 8);
            int b = a - 1;
            while (b >= lo && cmp_words(key + (size_t)b * c->words, t,
                                        c->words) > 0) {
                memcpy(key + (size_t)(b + 1) * c->words,
                       key + (size_t)b * c->words, c->words * 8);
                b--;
            }
            memcpy(key + (size_t)(b + 1) * c->words, t, c->words * 8);
        }
    free(t);
}

/* An open-addressing hash table from canonical keys to entries. */
typedef struct {
    size_t capacity;
    long *slot;          /* entry index or -1 */
} key_table;

static uint64_t hash_key(const uint64_t *key, size_t len, int positives)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)positives;
    for (size_t i = 0; i < len; i++) {
        h ^= key[i];
        h *= 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

static long table_find(const key_table *t, const entry *entries,
                       const uint64_t *key, size_t len, int positives)
{
    size_t s = hash_key(key, len, positives) & (t->capacity - 1);
    for (;; s = (s + 1) & (t->capacity - 1)) {
        long e = t->slot[s];
        if (e < 0)
            return -1 - (long)s;
        if (entries[e].positives == positives &&
            !memcmp(entries[e].key, key, len * sizeof(uint64_t)))
            return e;
    }
}

/* Checks that the certificate's settings are the instance's.  A mismatch
 * rejects the certificate (it proves something else). */
static int check_settings(checker *c, const xt_json *root, int *k,
                          xt_error_t *err)
{
    const xt_json *set = xt_json_get(root, "settings");
    const xt_json *hidden = set ? xt_json_get(set, "hidden") : NULL;
    const xt_json *loss = set ? xt_json_get(set, "loss") : NULL;
    const xt_json *bias = set ? xt_json_get(set, "output_bias") : NULL;
    const xt_json *convex = set ? xt_json_get(set, "convex") : NULL;
    const xt_json *target = set ? xt_json_get(set, "target") : NULL;
    xt_loss kind;
    if (!hidden || hidden->type != XT_JSON_NUMBER || !loss ||
        loss->type != XT_JSON_STRING || xt_loss_parse(&kind, loss->text) ||
        !bias || !convex) {
        xt_error_at(err, c->path, set ? set->line : 1, "certificate "
                    "settings need hidden, loss, output_bias and convex");
        return XT_ERR_INPUT;
    }
    *k = atoi(hidden->text);
    if (*k < 1 || *k > XT_MAX_HIDDEN) {
        xt_error_at(err, c->path, hidden->line, "invalid hidden count");
        return XT_ERR_INPUT;
    }
    const xt_instance_struct *inst = c->inst;
    int has_bias = bias->type == XT_JSON_TRUE;
    int is_convex = convex->type == XT_JSON_TRUE;
    if (inst->hidden && inst->hidden != *k)
        xt_error_set(err, "certificate is for %d hidden neurons, the "
                     "instance asks for %d", *k, inst->hidden);
    else if (kind != inst->loss)
        xt_error_set(err, "certificate is for loss %s, the instance asks "
                     "for %s", loss->text, xt_loss_name(inst->loss));
    else if (has_bias != inst->output_bias)
        xt_error_set(err, "certificate and instance differ on the output "
                     "bias");
    else if (is_convex != inst->convex)
        xt_error_set(err, "certificate and instance differ on convexity");
    else if (!!target != !!inst->has_target)
        xt_error_set(err, "certificate and instance differ on the target");
    else
        return XT_OK;
    return -1;
}

/* Verifies every entry and stores it in the table. */
static int load_entries(checker *c, const xt_json *list, entry *entries,
                        key_table *table, int *sign, uint64_t **sets,
                        xt_error_t *err)
{
    size_t len = (size_t)c->k * c->words;
    for (size_t q = 0; q < list->count; q++) {
        const xt_json *item = list->items[q];
        entry *e = &entries[q];
        e->key = calloc(len ? len : 1, sizeof(uint64_t));
        mpq_init(e->bound);
        e->initialized = 1;
        if (!e->key || item->type != XT_JSON_OBJECT ||
            parse_pattern(c, sign, sets, item, err))
            return -1;
        if (verify_entry(c, e, sign, sets, item, err))
            return -1;
        make_key(c, e->key, &e->positives, sign, sets);
        long found = table_find(table, entries, e->key, len, e->positives);
        if (found >= 0) {
            /* A repeated pattern: any verified bound is valid, keep the
             * stronger one. */
            entry *old = &entries[found];
            if (!e->has_bound || (old->has_bound &&
                                  mpq_cmp(e->bound, old->bound) > 0)) {
                old->has_bound = e->has_bound;
                mpq_set(old->bound, e->bound);
            }
            continue;
        }
        table->slot[-1 - found] = (long)q;
    }
    return 0;
}

/* Advances idx like the solver's nondecreasing tuples within classes. */
static int next_multiset(size_t *idx, int k, int p, size_t count)
{
    for (int pos = k - 1; pos >= 0; pos--) {
        if (idx[pos] + 1 >= count)
            continue;
        idx[pos]++;
        for (int q = pos + 1; q < k; q++)
            idx[q] = ((q < p) == (pos < p)) ? idx[pos] : 0;
        return 1;
    }
    return 0;
}

/* Looks up every pattern re-derived from the data; sets the minimum bound
 * (has_lower 0 when all are infeasible).  Returns -1 when one is
 * missing. */
static int check_coverage(checker *c, xt_check_report_t rep,
                          const xt_dichotomy_list *list,
                          const entry *entries, const key_table *table,
                          int *sign, uint64_t **sets, xt_error_t *err)
{
    size_t len = (size_t)c->k * c->words;
    uint64_t *key = calloc(len ? len : 1, sizeof(uint64_t));
    size_t *idx = calloc((size_t)c->k, sizeof(size_t));
    int lowest = c->inst->convex ? c->k : 0, rc = 0, positives;
    for (int p = c->k; p >= lowest && rc == 0; p--) {
        for (int j = 0; j < c->k; j++) {
            idx[j] = 0;
            sign[j] = j < p ? 1 : -1;
        }
        do {
            for (int j = 0; j < c->k; j++)
                memcpy(sets[j], list->sets + idx[j] * list->words,
                       c->words * sizeof(uint64_t));
            make_key(c, key, &positives, sign, sets);
            long e = table_find(table, entries, key, len, positives);
            if (e < 0) {
                xt_error_set(err, "%s: pattern not covered (%d positive "
                             "neurons, sets %zu ...)", c->path, p, idx[0]);
                rc = -1;
                break;
            }
            rep->patterns++;
            if (entries[e].has_bound &&
                (!rep->has_lower || mpq_cmp(entries[e].bound,
                                            rep->lower) < 0)) {
                mpq_set(rep->lower, entries[e].bound);
                rep->has_lower = 1;
            }
        } while (next_multiset(idx, c->k, p, list->count));
    }
    free(key);
    free(idx);
    return rc;
}

static void checker_layout(checker *c, const xt_instance_t inst, int k)
{
    c->k = k;
    c->d = inst->d;
    c->n = inst->n;
    c->loss = inst->loss;
    int col = k * (inst->d + 1);
    c->bias_col = inst->output_bias ? col++ : -1;
    c->aux_col = c->loss == XT_LOSS_L2 ? -1 : col;
    if (c->loss == XT_LOSS_L1)
        col += (int)inst->n;
    else if (c->loss == XT_LOSS_LINF)
        col++;
    c->ncols = col;
    c->nrows = (long)k * c->n + (c->loss == XT_LOSS_L2 ? 0 : 2 * c->n);
    c->words = (size_t)(c->n + 63) / 64;
    if (!c->words)
        c->words = 1;
}

/* Reads the network, checks that it fits the instance and computes its
 * exact loss into rep->upper. */
static int check_network(checker *c, xt_check_report_t rep,
                         const xt_json *root, xt_error_t *err)
{
    if (!xt_json_get(root, "network"))
        return 0;
    xt_network_t net;
    xt_network_init(net);
    int rc = -1;
    if (xt_network_read_file(net, c->path, err) != XT_OK)
        goto out;
    if (net->k != c->k || net->d != c->d || net->m != 1) {
        xt_error_set(err, "%s: the network's shape does not match the "
                     "instance", c->path);
        goto out;
    }
    if (xt_network_conforms(net, c->inst, err) != XT_OK ||
        xt_network_loss(rep->upper, NULL, net, c->inst, c->loss, err))
        goto out;
    rep->has_upper = 1;
    const xt_json *claimed = xt_json_get(root, "loss");
    mpq_t value;
    mpq_init(value);
    if (claimed && (xt_check_json_rat(value, claimed, "loss", c->path, err) ||
                    mpq_cmp(value, rep->upper) != 0)) {
        if (!err->message[0] || mpq_cmp(value, rep->upper) != 0)
            xt_error_set(err, "%s: claimed loss differs from the network's "
                         "exact loss", c->path);
        mpq_clear(value);
        goto out;
    }
    mpq_clear(value);
    rc = 0;
out:
    xt_network_clear(net);
    return rc;
}

/* Decides whether the claim follows from the verified bounds. */
static void judge_claim(checker *c, xt_check_report_t rep, const char *claim,
                        int covered, xt_error_t *err)
{
    const xt_instance_struct *inst = c->inst;
    if (!strcmp(claim, "optimal")) {
        if (!rep->has_upper || !covered)
            xt_error_set(err, "optimality needs a network and every "
                         "pattern");
        else if (!rep->has_lower || mpq_cmp(rep->lower, rep->upper) < 0)
            xt_error_set(err, "lower bound is below the network's loss");
        else
            rep->verified = 1;
    } else if (!strcmp(claim, "feasible")) {
        if (!rep->has_upper || !inst->has_target ||
            mpq_cmp(rep->upper, inst->target) > 0)
            xt_error_set(err, "the network does not meet the target");
        else
            rep->verified = 1;
    } else if (!strcmp(claim, "infeasible")) {
        if (!inst->has_target || !covered)
            xt_error_set(err, "infeasibility needs a target and every "
                         "pattern");
        else if (rep->has_lower && mpq_cmp(rep->lower, inst->target) <= 0)
            xt_error_set(err, "a pattern's lower bound is within the "
                         "target");
        else
            rep->verified = rep->infeasible = 1;
    } else {
        xt_error_set(err, "certificate claims \"%s\", which proves nothing",
                     claim);
    }
}

int xt_check_enum(xt_check_report_t rep, const xt_instance_t inst,
                  const xt_json *root, const char *path, xt_error_t *err)
{
    checker c;
    memset(&c, 0, sizeof c);
    c.inst = inst;
    c.path = path;
    int k = 0;
    int s = check_settings(&c, root, &k, err);
    if (s == XT_ERR_INPUT)
        return s;
    if (s != XT_OK)
        return XT_OK;          /* rejected: verified stays 0 */
    if (inst->m != 1 || inst->activation != XT_ACT_RELU ||
        inst->loss == XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "enum certificates are for one-output ReLU "
                     "instances with loss l1, l2 or linf");
        return XT_OK;
    }
    const xt_json *claim = xt_json_get(root, "claim");
    const xt_json *list = xt_json_get(root, "patterns");
    if (!claim || claim->type != XT_JSON_STRING || !list ||
        list->type != XT_JSON_ARRAY) {
        xt_error_at(err, path, 1, "certificate needs \"claim\" and "
                    "\"patterns\"");
        return XT_ERR_INPUT;
    }

    checker_layout(&c, inst, k);
    c.row = xt_rat_array_new((size_t)c.ncols + 1);
    c.acc = xt_rat_array_new((size_t)c.ncols + 1);
    c.x = xt_rat_array_new((size_t)c.ncols + 1);
    mpq_inits(c.rhs, c.sum, c.tmp, NULL);
    int *sign = calloc((size_t)k, sizeof *sign);
    uint64_t **sets = calloc((size_t)k, sizeof *sets);
    for (int j = 0; j < k; j++)
        sets[j] = calloc(c.words, sizeof(uint64_t));
    entry *entries = calloc(list->count + 1, sizeof *entries);
    key_table table;
    table.capacity = 16;
    while (table.capacity < 2 * list->count + 2)
        table.capacity *= 2;
    table.slot = malloc(table.capacity * sizeof(long));
    memset(table.slot, 0xff, table.capacity * sizeof(long));
    xt_dichotomy_list dich;
    xt_dichotomy_list_init(&dich, inst->n);

    int covered = 0;
    if (check_network(&c, rep, root, err) == 0 &&
        load_entries(&c, list, entries, &table, sign, sets, err) == 0) {
        int need = strcmp(claim->text, "feasible") != 0;
        if (need) {
            if (xt_dichotomies(&dich, inst->x, inst->n, inst->d, 0, err))
                goto done;
            covered = check_coverage(&c, rep, &dich, entries, &table,
                                     sign, sets, err) == 0;
        }
        if (!need || covered)
            judge_claim(&c, rep, claim->text, covered, err);
    }
done:
    xt_dichotomy_list_clear(&dich);
    for (size_t q = 0; q <= list->count; q++) {
        free(entries[q].key);
        if (entries[q].initialized)
            mpq_clear(entries[q].bound);
    }
    free(entries);
    free(table.slot);
    for (int j = 0; j < k; j++)
        free(sets[j]);
    free(sets);
    free(sign);
    mpq_clears(c.rhs, c.sum, c.tmp, NULL);
    xt_rat_array_free(c.row, (size_t)c.ncols + 1);
    xt_rat_array_free(c.acc, (size_t)c.ncols + 1);
    xt_rat_array_free(c.x, (size_t)c.ncols + 1);
    return XT_OK;
}
