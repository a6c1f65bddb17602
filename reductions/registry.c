/* The table of built-in reductions.  A new reduction adds one line here
 * (see docs/reductions.md). */
#include <string.h>
#include "reduction_internal.h"
#include "planar/planar.h"

const xt_reduction *const xt_reductions[] = {
    &xt_reduction_blum_rivest,
    &xt_reduction_blum_rivest_broken,
    &xt_reduction_planar,
    NULL
};

const xt_real_reduction *const xt_real_reductions[] = {
    &xt_reduction_etr_ami,
    NULL
};

const xt_reduction *xt_reduction_find(const char *name)
{
    for (int i = 0; xt_reductions[i]; i++)
        if (!strcmp(xt_reductions[i]->name, name))
            return xt_reductions[i];
    return NULL;
}
