/* Lazy branching search for threshold networks with a fixed output
 * function phi (a map from hidden codes to labels).
 *
 * A point with label y is classified correctly exactly when its code lies
 * in allowed(y) = {h : phi(h) = y}; that set is split once into disjoint
 * subcubes (some bits fixed, the others free).  Every node holds, per
 * neuron j, the points that must be active (A_j) and inactive (B_j), and
 * one exact solution (w_j, b_j) of the separation LP of A_j and B_j.  The
 * node's network is evaluated; if it classifies every undecided point
 * correctly it is a solution.  Otherwise the search branches on one
 * misclassified point, with one child per subcube of its allowed set.  A
 * child adds the bits its subcube fixes to the A_j and B_j and re-solves
 * only the neurons whose current solution violates a new row.  One more
 * child gives the point up as misclassified while the budget allows.
 *
 * Completeness: take any network N within the budget, and follow the path
 * that takes N's code at each branch point (or gives the point up when N
 * misclassifies it).  Every LP on it stays feasible because N's own
 * weights satisfy it, and it gives up at most the points N misclassifies.  Every path ends at a leaf within depth n, so the
 * search finds a solution whenever N exists. */
#include <stdlib.h>
#include <string.h>
#include "threshold_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

/* A subcube: the codes h with (h & mask) == value. */
typedef struct {
    int mask, value;
} subcube;

enum { POINT_OPEN = 0, POINT_FIXED = 1, POINT_GIVEN_UP = 2 };

/* Separation LPs already solved in this search, keyed by the pair of
 * bitsets (A_j, B_j): the same pair recurs across output functions and
 * branches.  Open addressing; slots hold 1 + entry index, 0 when free. */
typedef struct {
    uint64_t *keys;       /* count rows of 2 * words */
    mpq_t **weights;      /* count entries, NULL when infeasible */
    size_t count, capacity;
    size_t *slots;
    size_t slot_count;    /* a power of two */
} lp_cache;

/* The state of one node. */
typedef struct {
    uint64_t *active;     /* k bitsets A_j */
    uint64_t *inactive;   /* k bitsets B_j */
    uint64_t *on;         /* k bitsets: where the current solution is 1 */
    mpq_t *wb;            /* k rows of d + 1 */
    unsigned char *state; /* n point states */
    long given_up;
} frame;

typedef struct {
    const xt_thr_task *task;
    const xt_thr_functions *f;
    xt_solve_result_struct *res;
    xt_thr_labels labels;
    int k, d;
    long n;
    size_t words;
    long budget;
    double start;
    int stop;
    size_t row;                 /* current output function */
    /* Subcube covers of allowed(v) for every label value v. */
    subcube *cover;             /* nvalues * codes entries at most */
    int *cover_count;           /* nvalues */
    frame *frames;              /* n + 1 levels */
    xt_network_t net;
    lp_cache cache;
} branch_state;

static uint64_t hash_key(const uint64_t *key, size_t words)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t w = 0; w < words; w++) {
        h ^= key[w] + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
        h *= 0xBF58476D1CE4E5B9ull;
    }
    return h ^ (h >> 31);
}

static void cache_clear(lp_cache *c, int d)
{
    for (size_t e = 0; e < c->count; e++)
        xt_rat_array_free(c->weights[e], (size_t)d + 1);
    free(c->keys);
    free(c->weights);
    free(c->slots);
    memset(c, 0, sizeof *c);
}

/* The slot for key: its entry, or the free slot where it belongs. */
static size_t *cache_slot(const lp_cache *c, const uint64_t *key,
                          size_t words)
{
    size_t mask = c->slot_count - 1;
    size_t at = (size_t)hash_key(key, words) & mask;
    for (;;) {
        size_t *slot = &c->slots[at];
        if (*slot == 0 || !memcmp(c->keys + (*slot - 1) * words, key,
                                  words * sizeof(uint64_t)))
            return slot;
        at = (at + 1) & mask;
    }
}

static int cache_grow(lp_cache *c, size_t words)
{
    size_t cap = c->capacity ? 2 * c->capacity : 256;
    uint64_t *keys = realloc(c->keys, cap * words * sizeof(uint64_t));
    if (keys)
        c->keys = keys;
    mpq_t **weights = realloc(c->weights, cap * sizeof(mpq_t *));
    if (weights)
        c->weights = weights;
    size_t *slots = calloc(2 * cap, sizeof(size_t));
    if (!keys || !weights || !slots) {
        free(slots);
        return XT_ERR_NOMEM;
    }
    free(c->slots);
    c->slots = slots;
    c->slot_count = 2 * cap;
    c->capacity = cap;
    for (size_t e = 0; e < c->count; e++)
        *cache_slot(c, c->keys + e * words, words) = e + 1;
    return XT_OK;
}

static int frame_init(frame *fr, const branch_state *s)
{
    size_t bits = (size_t)s->k * s->words;
    fr->active = calloc(bits, sizeof(uint64_t));
    fr->inactive = calloc(bits, sizeof(uint64_t));
    fr->on = calloc(bits, sizeof(uint64_t));
    fr->wb = xt_rat_array_new((size_t)s->k * (size_t)(s->d + 1));
    fr->state = calloc((size_t)(s->n > 0 ? s->n : 1), 1);
    return fr->active && fr->inactive && fr->on && fr->wb && fr->state;
}

static void frame_clear(frame *fr, const branch_state *s)
{
    free(fr->active);
    free(fr->inactive);
    free(fr->on);
    xt_rat_array_free(fr->wb, (size_t)s->k * (size_t)(s->d + 1));
    free(fr->state);
}

static void frame_copy(frame *dst, const frame *src, const branch_state *s)
{
    size_t bytes = (size_t)s->k * s->words * sizeof(uint64_t);
    memcpy(dst->active, src->active, bytes);
    memcpy(dst->inactive, src->inactive, bytes);
    memcpy(dst->on, src->on, bytes);
    for (size_t e = 0; e < (size_t)s->k * (size_t)(s->d + 1); e++)
        mpq_set(dst->wb[e], src->wb[e]);
    memcpy(dst->state, src->state, (size_t)s->n);
    dst->given_up = src->given_up;
}

/* Splits the codes set (a bitmask over codes) into disjoint subcubes by
 * fixing bits 0, 1, ... in turn. */
static void split_cubes(subcube *out, int *count, unsigned set, int k,
                        int mask, int value, int bit)
{
    unsigned cube = 0;
    for (int h = 0; h < (1 << k); h++)
        if ((h & mask) == value)
            cube |= 1u << h;
    if ((cube & set) == 0)
        return;
    if ((cube & set) == cube) {
        out[*count].mask = mask;
        out[*count].value = value;
        (*count)++;
        return;
    }
    split_cubes(out, count, set, k, mask | 1 << bit, value, bit + 1);
    split_cubes(out, count, set, k, mask | 1 << bit, value | 1 << bit,
                bit + 1);
}

static void build_covers(branch_state *s)
{
    const unsigned char *row = s->f->map + s->row * (size_t)s->f->codes;
    for (int v = 0; v < s->f->nvalues; v++) {
        unsigned set = 0;
        for (int h = 0; h < s->f->codes; h++)
            if (row[h] == v)
                set |= 1u << h;
        s->cover_count[v] = 0;
        split_cubes(s->cover + (size_t)v * (size_t)s->f->codes,
                    &s->cover_count[v], set, s->k, 0, 0, 0);
    }
}

static int code_of(const branch_state *s, const frame *fr, long i)
{
    int code = 0;
    for (int j = 0; j < s->k; j++)
        code |= xt_thr_bit(fr->on + (size_t)j * s->words, i) << j;
    return code;
}

/* Whether point i's current code gives its label. */
static int correct(const branch_state *s, const frame *fr, long i)
{
    int label = s->labels.label[i];
    const unsigned char *row = s->f->map + s->row * (size_t)s->f->codes;
    return label >= 0 && row[code_of(s, fr, i)] == label;
}

/* The open misclassified point with the fewest subcubes, or -1. */
static long pick_point(const branch_state *s, const frame *fr)
{
    long best = -1;
    for (long i = 0; i < s->n; i++) {
        if (fr->state[i] != POINT_OPEN || correct(s, fr, i))
            continue;
        if (best < 0 || s->cover_count[s->labels.label[i]] <
                        s->cover_count[s->labels.label[best]])
            best = i;
    }
    return best;
}

/* Points given up that the network misclassifies. */
static long misclassified(const branch_state *s, const frame *fr)
{
    long count = 0;
    for (long i = 0; i < s->n; i++)
        if (fr->state[i] == POINT_GIVEN_UP && !correct(s, fr, i))
            count++;
    return count;
}

static int leaf(branch_state *s, const frame *fr, xt_error_t *err)
{
    mpq_t *rows[XT_THR_MAX_K];
    for (int j = 0; j < s->k; j++)
        rows[j] = fr->wb + (size_t)j * (size_t)(s->d + 1);
    int rc = xt_thr_network(s->net, s->f, s->row, rows, s->d,
                            s->task->threshold_output, err);
    long claimed = misclassified(s, fr);
    if (rc == XT_OK)
        rc = xt_thr_record(s->res, s->task, s->net, claimed, err);
    if (rc != XT_OK)
        return rc;
    if (!s->task->all) {
        if (s->task->inst->has_target)
            s->stop = 1;
        else
            s->budget = mpz_get_si(mpq_numref(s->res->loss)) - 1;
    }
    return XT_OK;
}

/* Tries to meet neuron j's constraints by moving only its bias: with w
 * fixed, b = -(min_A w.x + max_B w.x) / 2 works exactly when
 * min_A w.x > max_B w.x.  This avoids most LPs deep in the search.
 * Returns 1 when wb was updated. */
static int shift_bias(const branch_state *s, mpq_t *wb, const uint64_t *a,
                      const uint64_t *b)
{
    const mpq_t *x = s->task->inst->x;
    int d = s->d, have_a = 0, have_b = 0, nonzero = 0;
    mpq_t t, p, low, high;
    mpq_inits(t, p, low, high, NULL);
    for (int c = 0; c < d; c++)
        nonzero |= mpq_sgn(wb[c]) != 0;
    for (long i = 0; i < s->n && nonzero; i++) {
        int in_a = xt_thr_bit(a, i), in_b = xt_thr_bit(b, i);
        if (!in_a && !in_b)
            continue;
        mpq_set_ui(t, 0, 1);
        for (int c = 0; c < d; c++) {
            mpq_mul(p, wb[c], x[i * d + c]);
            mpq_add(t, t, p);
        }
        if (in_a && (!have_a || mpq_cmp(t, low) < 0))
            mpq_set(low, t), have_a = 1;
        if (in_b && (!have_b || mpq_cmp(t, high) > 0))
            mpq_set(high, t), have_b = 1;
    }
    int ok = nonzero && (!have_a || !have_b || mpq_cmp(low, high) > 0);
    if (ok) {
        if (!have_a)
            mpq_set_si(low, 2, 1), mpq_add(low, low, high);
        if (!have_b)
            mpq_set_si(high, -2, 1), mpq_add(high, high, low);
        mpq_add(t, low, high);
        mpq_set_si(p, -1, 2);
        mpq_mul(wb[d], t, p);
    }
    mpq_clears(t, p, low, high, NULL);
    return ok;
}

/* xt_thr_separate for A_j = a and B_j = b, through the cache. */
static int separate_cached(branch_state *s, mpq_t *wb, const uint64_t *a,
                           const uint64_t *b, xt_error_t *err)
{
    lp_cache *c = &s->cache;
    size_t words = 2 * s->words, width = (size_t)s->d + 1;
    uint64_t key[2 * 64];
    if (s->words > 64)
        return xt_thr_separate(wb, s->task->inst->x, s->n, s->d, a, b, 1,
                               1, &s->res->subproblems, err);
    memcpy(key, a, s->words * sizeof(uint64_t));
    memcpy(key + s->words, b, s->words * sizeof(uint64_t));
    if (c->count >= c->capacity && cache_grow(c, words) != XT_OK) {
        xt_error_set(err, "out of memory");
        return -XT_ERR_NOMEM;
    }
    size_t *slot = cache_slot(c, key, words);
    if (*slot) {
        mpq_t *stored = c->weights[*slot - 1];
        for (size_t e = 0; stored && e < width; e++)
            mpq_set(wb[e], stored[e]);
        return stored != NULL;
    }
    int found = xt_thr_separate(wb, s->task->inst->x, s->n, s->d, a, b, 1,
                                1, &s->res->subproblems, err);
    if (found < 0)
        return found;
    mpq_t *stored = NULL;
    if (found) {
        stored = xt_rat_array_new(width);
        if (!stored) {
            xt_error_set(err, "out of memory");
            return -XT_ERR_NOMEM;
        }
        for (size_t e = 0; e < width; e++)
            mpq_set(stored[e], wb[e]);
    }
    memcpy(c->keys + c->count * words, key, words * sizeof(uint64_t));
    c->weights[c->count++] = stored;
    *slot = c->count;
    return found;
}

/* Adds "h_j(x_i) = bit" for the bits of cube to fr and re-solves the
 * neurons whose solution breaks it.  Returns 1 when every LP stays
 * feasible, 0 when one is infeasible, or a negative error code. */
static int apply_cube(branch_state *s, frame *fr, long i, subcube cube,
                      xt_error_t *err)
{
    const mpq_t *x = s->task->inst->x;
    fr->state[i] = POINT_FIXED;
    for (int j = 0; j < s->k; j++) {
        if (!(cube.mask >> j & 1))
            continue;
        int bit = cube.value >> j & 1;
        uint64_t *a = fr->active + (size_t)j * s->words;
        uint64_t *b = fr->inactive + (size_t)j * s->words;
        uint64_t *on = fr->on + (size_t)j * s->words;
        xt_thr_set_bit(bit ? a : b, i, 1);
        if (xt_thr_bit(on, i) == bit)
            continue;
        mpq_t *wb = fr->wb + (size_t)j * (size_t)(s->d + 1);
        if (shift_bias(s, wb, a, b)) {
            xt_thr_activation_set(on, wb, x, s->n, s->d);
            continue;
        }
        int found = separate_cached(s, wb, a, b, err);
        if (found <= 0) {
            if (found == 0)
                s->res->infeasible++;
            return found;
        }
        xt_thr_activation_set(on, wb, x, s->n, s->d);
    }
    return 1;
}

static int search(branch_state *s, int depth, xt_error_t *err)
{
    frame *fr = &s->frames[depth];
    s->res->patterns++;
    if ((s->res->patterns & 255) == 0) {
        xt_progress("threshold: function %zu of %zu, %ld nodes, %ld LPs",
                    s->row + 1, s->f->count, s->res->patterns,
                    s->res->subproblems);
        if (xt_thr_should_stop(s->res, s->task, s->start))
            s->stop = 1;
    }
    if (s->stop)
        return XT_OK;
    long i = pick_point(s, fr);
    if (i < 0)
        return leaf(s, fr, err);

    frame *child = &s->frames[depth + 1];
    int label = s->labels.label[i];
    const subcube *cover = s->cover + (size_t)label * (size_t)s->f->codes;
    for (int c = 0; c < s->cover_count[label] && !s->stop; c++) {
        frame_copy(child, fr, s);
        int ok = apply_cube(s, child, i, cover[c], err);
        if (ok < 0)
            return -ok;
        int rc = ok ? search(s, depth + 1, err) : XT_OK;
        if (rc != XT_OK)
            return rc;
    }
    if (s->stop)
        return XT_OK;
    if (fr->given_up + 1 > s->budget) {
        s->res->pruned++;
        return XT_OK;
    }
    frame_copy(child, fr, s);
    child->state[i] = POINT_GIVEN_UP;
    child->given_up++;
    return search(s, depth + 1, err);
}

/* Sets up the root for the current function: points whose label no code
 * gives are given up, points that every code classifies correctly need
 * no constraint.  Returns 0 when the budget is already exceeded. */
static int setup_root(branch_state *s)
{
    frame *root = &s->frames[0];
    size_t bits = (size_t)s->k * s->words;
    memset(root->active, 0, bits * sizeof(uint64_t));
    memset(root->inactive, 0, bits * sizeof(uint64_t));
    memset(root->on, 0, bits * sizeof(uint64_t));
    for (size_t e = 0; e < (size_t)s->k * (size_t)(s->d + 1); e++)
        mpq_set_ui(root->wb[e], 0, 1);
    root->given_up = 0;
    for (long i = 0; i < s->n; i++) {
        int label = s->labels.label[i];
        root->state[i] = POINT_OPEN;
        if (label < 0 || s->cover_count[label] == 0) {
            root->state[i] = POINT_GIVEN_UP;
            root->given_up++;
        }
    }
    return root->given_up <= s->budget;
}

static int run_functions(branch_state *s, xt_error_t *err)
{
    int rc = XT_OK;
    for (s->row = 0; s->row < s->f->count && !s->stop && rc == XT_OK;
         s->row++) {
        build_covers(s);
        if (setup_root(s))
            rc = search(s, 0, err);
    }
    xt_progress_done();
    return rc;
}

int xt_thr_branch(xt_solve_result_struct *res, const xt_thr_task *task,
                  const xt_thr_functions *f, xt_error_t *err)
{
    const xt_instance_struct *inst = task->inst;
    branch_state s;
    memset(&s, 0, sizeof s);
    s.task = task;
    s.f = f;
    s.res = res;
    s.k = f->k;
    s.d = inst->d;
    s.n = inst->n;
    s.words = (size_t)(inst->n + 63) / 64 ? (size_t)(inst->n + 63) / 64 : 1;
    s.budget = task->budget;
    s.start = xt_seconds();
    xt_network_init(s.net);

    int rc = xt_thr_labels_init(&s.labels, inst, f);
    s.cover = malloc(sizeof(subcube) * (size_t)(f->nvalues + 1) *
                     (size_t)f->codes);
    s.cover_count = calloc((size_t)f->nvalues + 1, sizeof(int));
    s.frames = calloc((size_t)s.n + 2, sizeof(frame));
    long ready = 0;
    if (rc == XT_OK && s.cover && s.cover_count && s.frames)
        while (ready < s.n + 2 && frame_init(&s.frames[ready], &s))
            ready++;
    if (ready < s.n + 2) {
        if (s.frames && ready < s.n + 2)
            frame_clear(&s.frames[ready], &s);
        xt_error_set(err, "out of memory");
        rc = XT_ERR_NOMEM;
    } else {
        rc = run_functions(&s, err);
    }

    for (long l = 0; l < ready; l++)
        frame_clear(&s.frames[l], &s);
    free(s.frames);
    free(s.cover);
    free(s.cover_count);
    xt_thr_labels_clear(&s.labels);
    xt_network_clear(s.net);
    cache_clear(&s.cache, s.d);
    return rc;
}
