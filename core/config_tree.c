/* config_tree.c — a loaded configuration as a tree (core/config.h): its
 * defaults, the lookups the rest of the program makes in it (a source, a
 * label, a moment-of-truth type) and freeing it with all it owns.  Loading
 * it is core/config.c's. */
#include "core/config_int.h"

#include <stdlib.h>
#include <string.h>

/* Numeric defaults of SCOPE's table rows into BASE. */
void cfg_set_defaults(cfg_scope scope, void *base)
{
    for (size_t i = 0; i < cfg_n_keys; i++) {
        const cfg_key *k = &cfg_keys[i];
        if (k->scope != scope) continue;
        if (k->kind == CFG_NUM) *(double *)((char *)base + k->off) = k->def;
        else if (k->kind == CFG_INT) *(int *)((char *)base + k->off) = (int)k->def;
    }
}

/* Frees the string members of SCOPE's table rows in BASE. */
static void free_strings(cfg_scope scope, void *base)
{
    for (size_t i = 0; i < cfg_n_keys; i++) {
        const cfg_key *k = &cfg_keys[i];
        if (k->scope == scope && (k->kind == CFG_STR || k->kind == CFG_PATH)) {
            char **p = (char **)((char *)base + k->off);
            free(*p);
            *p = NULL;
        }
    }
}

cx_config *config_default(void)
{
    cx_config *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    cfg_set_defaults(CFG_ROOT, c);
    c->moment_lo = 1;
    c->moment_hi = 5;
    c->store = strdup("cxpulse.db");
    if (!c->store) {
        free(c);
        return NULL;
    }
    return c;
}

static void source_free(cx_source_cfg *s)
{
    free_strings(CFG_SOURCE, s);
    for (size_t i = 0; i < s->n_fields; i++) {
        free(s->fields[i].field);
        free(s->fields[i].path);
    }
    free(s->fields);
}

void config_free(cx_config *c)
{
    if (!c) return;
    free(c->path);
    free_strings(CFG_ROOT, c);
    for (size_t i = 0; i < c->n_sources; i++) source_free(&c->sources[i]);
    free(c->sources);
    for (size_t i = 0; i < c->n_mot_types; i++) free(c->mot_types[i]);
    free(c->mot_types);
    for (size_t i = 0; i < c->n_labels; i++) {
        free(c->labels[i].field);
        free(c->labels[i].path);
    }
    free(c->labels);
    free(c);
}

const cx_source_cfg *config_source(const cx_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_sources; i++)
        if (strcmp(c->sources[i].name, name) == 0) return &c->sources[i];
    return NULL;
}

const char *config_label(const cx_config *c, const char *code)
{
    for (size_t i = 0; c && code && i < c->n_labels; i++)
        if (strcmp(c->labels[i].field, code) == 0) return c->labels[i].path;
    return NULL;
}

int config_is_mot(const cx_config *c, const char *type)
{
    if (!type || !*type) return 0;
    for (size_t i = 0; i < c->n_mot_types; i++)
        if (strcmp(c->mot_types[i], type) == 0) return 1;
    return 0;
}
