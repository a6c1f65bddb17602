/* Exact test of one affine dichotomy, without any LP library.
 *
 * A proper nonempty subset A of X is strictly separated from X \ A by an
 * affine function exactly when conv(A) and conv(X \ A) are disjoint
 * (separation theorem for disjoint polytopes).  The hulls meet exactly
 * when the system
 *
 *     sum_{i in A} l_i x_i - sum_{j not in A} m_j x_j = 0,
 *     sum l_i = 1,  sum m_j = 1,  l, m >= 0
 *
 * is feasible, which a phase-one simplex over the rationals decides.
 * Bland's smallest-index pivoting rule makes it terminate on degenerate
 * data. */
#include <stdlib.h>
#include "arrangement_impl.h"

/* A dense tableau of rows x (cols + 1) rationals whose last column is the
 * right-hand side, with the phase-one reduced costs and the basic column
 * of each row. */
typedef struct {
    long rows;
    long cols;
    mpq_t *cell;
    mpq_t *reduced;
    long *basis;
    mpq_t ratio;
    mpq_t best;
    mpq_t term;
} tableau;

static mpq_t *entry(tableau *t, long row, long col)
{
    return &t->cell[(size_t)row * (size_t)(t->cols + 1) + (size_t)col];
}

static void tableau_clear(tableau *t)
{
    size_t cells = (size_t)t->rows * (size_t)(t->cols + 1);

    if (t->cell)
        for (size_t i = 0; i < cells; i++)
            mpq_clear(t->cell[i]);
    if (t->reduced)
        for (long j = 0; j < t->cols; j++)
            mpq_clear(t->reduced[j]);
    free(t->cell);
    free(t->reduced);
    free(t->basis);
    mpq_clear(t->ratio);
    mpq_clear(t->best);
    mpq_clear(t->term);
}

/* Returns 0, or -1 when out of memory (t must still be cleared). */
static int tableau_init(tableau *t, long rows, long cols)
{
    size_t cells = (size_t)rows * (size_t)(cols + 1);

    t->rows = rows;
    t->cols = cols;
    mpq_init(t->ratio);
    mpq_init(t->best);
    mpq_init(t->term);
    t->cell = malloc(cells * sizeof(mpq_t));
    t->reduced = malloc((size_t)cols * sizeof(mpq_t));
    t->basis = malloc((size_t)rows * sizeof(long));
    if (!t->cell || !t->reduced || !t->basis) {
        free(t->cell);
        free(t->reduced);
        t->cell = NULL;
        t->reduced = NULL;
        return -1;
    }
    for (size_t i = 0; i < cells; i++)
        mpq_init(t->cell[i]);
    for (long j = 0; j < cols; j++)
        mpq_init(t->reduced[j]);
    return 0;
}

/* Writes the hull-intersection system for the subset set: column i < n
 * is point i (its coordinates negated when i is outside the set), then
 * one artificial column per row, which forms the starting basis. */
static void fill_system(tableau *t, const uint64_t *set, const mpq_t *x,
                        long n, int d)
{
    long rows = t->rows;

    for (long i = 0; i < n; i++) {
        int inside = xt_bitset_contains(set, i);
        for (int c = 0; c < d; c++) {
            mpq_set(*entry(t, c, i), x[(size_t)i * d + c]);
            if (!inside)
                mpq_neg(*entry(t, c, i), *entry(t, c, i));
        }
        mpq_set_ui(*entry(t, inside ? d : d + 1, i), 1, 1);
    }
    mpq_set_ui(*entry(t, d, t->cols), 1, 1);
    mpq_set_ui(*entry(t, d + 1, t->cols), 1, 1);

    /* Phase one minimizes the sum of the artificials; its reduced cost for
     * a structural column is minus the column sum. */
    for (long r = 0; r < rows; r++) {
        mpq_set_ui(*entry(t, r, n + r), 1, 1);
        t->basis[r] = n + r;
        for (long j = 0; j < n; j++)
            mpq_sub(t->reduced[j], t->reduced[j], *entry(t, r, j));
    }
}

/* Bland's leaving row: the minimum ratio, ties to the smallest basic
 * column.  Returns -1 when the column has no positive entry. */
static long leaving_row(tableau *t, long col)
{
    long best_row = -1;

    for (long r = 0; r < t->rows; r++) {
        int better;
        if (mpq_sgn(*entry(t, r, col)) <= 0)
            continue;
        mpq_div(t->ratio, *entry(t, r, t->cols), *entry(t, r, col));
        better = best_row < 0 || mpq_cmp(t->ratio, t->best) < 0
                 || (mpq_cmp(t->ratio, t->best) == 0
                     && t->basis[r] < t->basis[best_row]);
        if (better) {
            best_row = r;
            mpq_set(t->best, t->ratio);
        }
    }
    return best_row;
}

static void pivot(tableau *t, long row, long col)
{
    mpq_t pivot_value;

    mpq_init(pivot_value);
    mpq_set(pivot_value, *entry(t, row, col));
    for (long j = 0; j <= t->cols; j++)
        mpq_div(*entry(t, row, j), *entry(t, row, j), pivot_value);

    for (long r = 0; r < t->rows; r++) {
        if (r == row || mpq_sgn(*entry(t, r, col)) == 0)
            continue;
        mpq_set(pivot_value, *entry(t, r, col));
        for (long j = 0; j <= t->cols; j++) {
            mpq_mul(t->term, pivot_value, *entry(t, row, j));
            mpq_sub(*entry(t, r, j), *entry(t, r, j), t->term);
        }
    }
    mpq_set(pivot_value, t->reduced[col]);
    for (long j = 0; j < t->cols; j++) {
        mpq_mul(t->term, pivot_value, *entry(t, row, j));
        mpq_sub(t->reduced[j], t->reduced[j], t->term);
    }
    t->basis[row] = col;
    mpq_clear(pivot_value);
}

/* Runs phase one to optimality and returns 1 when the system is feasible
 * (every artificial left in the basis is 0), 0 when not. */
static int phase_one_feasible(tableau *t, long structural)
{
    for (;;) {
        long col = 0, row;
        while (col < t->cols && mpq_sgn(t->reduced[col]) >= 0)
            col++;
        if (col == t->cols)
            break;
        /* The phase-one objective is bounded below by 0, so a column
         * with a negative reduced cost always has a positive entry. */
        row = leaving_row(t, col);
        if (row < 0)
            break;
        pivot(t, row, col);
    }
    for (long r = 0; r < t->rows; r++)
        if (t->basis[r] >= structural && mpq_sgn(*entry(t, r, t->cols)))
            return 0;
    return 1;
}

int xt_dichotomy_is_realizable(const uint64_t *set, const mpq_t *x, long n,
                               int d)
{
    long inside = 0, rows = (long)d + 2;
    tableau t;
    int feasible;

    for (long i = 0; i < n; i++)
        inside += xt_bitset_contains(set, i);
    if (inside == 0 || inside == n)
        return 1;

    if (tableau_init(&t, rows, n + rows) != 0) {
        tableau_clear(&t);
        return -1;
    }
    fill_system(&t, set, x, n, d);
    feasible = phase_one_feasible(&t, n);
    tableau_clear(&t);
    return feasible ? 0 : 1;
}
