/* Lists and hash sets of subsets stored as bitsets, and the general
 * position count of Cover (1965), "Geometrical and statistical properties
 * of systems of linear inequalities with applications in pattern
 * recognition", IEEE Trans. Electronic Computers EC-14(3), 326-334. */
#include <stdlib.h>
#include <string.h>
#include "arrangement_impl.h"

size_t xt_bitset_words(long n)
{
    return n > 64 ? ((size_t)n + 63) / 64 : 1;
}

void xt_dichotomy_list_init(xt_dichotomy_list *list, long n)
{
    list->n = n > 0 ? n : 0;
    list->words = xt_bitset_words(list->n);
    list->count = 0;
    list->capacity = 0;
    list->sets = NULL;
}

void xt_dichotomy_list_clear(xt_dichotomy_list *list)
{
    free(list->sets);
    list->sets = NULL;
    list->count = 0;
    list->capacity = 0;
}

/* Grows a buffer of capacity * words words to make room for one more set.
 * Returns 0, or -1 when out of memory (the buffer is then unchanged). */
static int grow_sets(uint64_t **sets, size_t *capacity, size_t words)
{
    size_t cap = *capacity ? 2 * *capacity : 16;
    uint64_t *grown;

    if (cap < *capacity || cap > SIZE_MAX / sizeof(uint64_t) / words)
        return -1;
    grown = realloc(*sets, cap * words * sizeof(uint64_t));
    if (!grown)
        return -1;
    *sets = grown;
    *capacity = cap;
    return 0;
}

int xt_dichotomy_list_push(xt_dichotomy_list *list, const uint64_t *set)
{
    if (list->count == list->capacity
        && grow_sets(&list->sets, &list->capacity, list->words) != 0)
        return XT_ERR_NOMEM;
    memcpy(list->sets + list->count * list->words, set,
           list->words * sizeof(uint64_t));
    list->count++;
    return XT_OK;
}

typedef struct {
    const uint64_t *bits;
    size_t words;
    size_t size;
} sort_key;

/* Orders smaller sets first.  Among sets of one size, the set containing
 * the lowest point in which the two differ comes first: this is the
 * lexicographic order of the sorted member lists. */
static int compare_keys(const void *pa, const void *pb)
{
    const sort_key *a = pa, *b = pb;

    if (a->size != b->size)
        return a->size < b->size ? -1 : 1;
    for (size_t w = 0; w < a->words; w++) {
        uint64_t diff = a->bits[w] ^ b->bits[w];
        if (diff)
            return (a->bits[w] & diff & (~diff + 1)) ? -1 : 1;
    }
    return 0;
}

int xt_dichotomy_list_sort(xt_dichotomy_list *list)
{
    size_t words = list->words, count = list->count;
    sort_key *keys;
    uint64_t *sorted;

    if (count < 2)
        return XT_OK;
    keys = malloc(count * sizeof(*keys));
    sorted = malloc(count * words * sizeof(uint64_t));
    if (!keys || !sorted) {
        free(keys);
        free(sorted);
        return XT_ERR_NOMEM;
    }

    for (size_t s = 0; s < count; s++) {
        keys[s].bits = list->sets + s * words;
        keys[s].words = words;
        keys[s].size = 0;
        for (size_t w = 0; w < words; w++)
            keys[s].size += (size_t)__builtin_popcountll(keys[s].bits[w]);
    }
    qsort(keys, count, sizeof(*keys), compare_keys);

    for (size_t s = 0; s < count; s++)
        memcpy(sorted + s * words, keys[s].bits, words * sizeof(uint64_t));
    free(keys);
    free(list->sets);
    list->sets = sorted;
    list->capacity = count;
    return XT_OK;
}

void xt_bitset_table_init(xt_bitset_table *table, size_t words)
{
    table->words = words;
    table->count = 0;
    table->capacity = 0;
    table->sets = NULL;
    table->slots = NULL;
    table->slot_count = 0;
}

void xt_bitset_table_clear(xt_bitset_table *table)
{
    free(table->sets);
    free(table->slots);
    xt_bitset_table_init(table, table->words);
}

static uint64_t hash_bitset(const uint64_t *set, size_t words)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ words;

    for (size_t w = 0; w < words; w++) {
        h ^= set[w];
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 33;
    }
    return h;
}

/* Finds the slot of set: the slot holding an equal set, or the empty slot
 * where it would go.  slot_count is a power of two and never full. */
static size_t find_slot(const xt_bitset_table *table, const uint64_t *set)
{
    size_t mask = table->slot_count - 1, words = table->words;
    size_t pos = (size_t)hash_bitset(set, words) & mask;

    while (table->slots[pos]) {
        const uint64_t *stored =
            table->sets + (table->slots[pos] - 1) * words;
        if (memcmp(stored, set, words * sizeof(uint64_t)) == 0)
            break;
        pos = (pos + 1) & mask;
    }
    return pos;
}

/* Doubles the slot array and reinserts every stored set. */
static int grow_slots(xt_bitset_table *table)
{
    size_t old_count = table->slot_count;
    size_t new_count = old_count ? 2 * old_count : 64;
    size_t *old_slots = table->slots;

    if (new_count < old_count || new_count > SIZE_MAX / sizeof(size_t))
        return -1;
    table->slots = calloc(new_count, sizeof(size_t));
    if (!table->slots) {
        table->slots = old_slots;
        return -1;
    }
    table->slot_count = new_count;
    for (size_t s = 0; s < table->count; s++) {
        size_t pos = find_slot(table, table->sets + s * table->words);
        table->slots[pos] = s + 1;
    }
    free(old_slots);
    return 0;
}

int xt_bitset_table_insert(xt_bitset_table *table, const uint64_t *set)
{
    size_t pos;

    /* Keep the load factor at most one half. */
    if (2 * (table->count + 1) > table->slot_count
        && grow_slots(table) != 0)
        return -1;
    pos = find_slot(table, set);
    if (table->slots[pos])
        return 0;
    if (table->count == table->capacity
        && grow_sets(&table->sets, &table->capacity, table->words) != 0)
        return -1;
    memcpy(table->sets + table->count * table->words, set,
           table->words * sizeof(uint64_t));
    table->count++;
    table->slots[pos] = table->count;
    return 1;
}

void xt_dichotomy_count_general(mpz_t out, long n, int d)
{
    mpz_t term;

    if (n <= 0) {
        mpz_set_ui(out, n == 0 ? 1 : 0);
        return;
    }
    mpz_init(term);
    mpz_set_ui(out, 0);
    for (long i = 0; i <= d && i <= n - 1; i++) {
        mpz_bin_uiui(term, (unsigned long)(n - 1), (unsigned long)i);
        mpz_add(out, out, term);
    }
    mpz_mul_2exp(out, out, 1);
    mpz_clear(term);
}
