/* genesys_record.h — what ingest/genesys.c takes from
 * ingest/genesys_record.c: a survey of the details query as a flat record
 * (genesys_map in vendor.h maps it), and the free text of a quality-API
 * survey.  Internal to ingest/.
 */
#ifndef CX_GENESYS_RECORD_H
#define CX_GENESYS_RECORD_H

#include "ingest/vendor.h"

/* A copy of SURVEY (an element of CONV's "surveys") with CONV's
 * conversationId, conversationStart, the customer's mediaType and
 * externalContactId, and handleTimeS (the tHandle of the survey's agent,
 * in seconds) added where the survey lacks them.  NULL when out of memory;
 * the caller frees it with cJSON_Delete. */
cJSON *genesys_record(const cJSON *conv, const cJSON *survey);

/* The text of a quality-API survey SV: the NPS follow-up (npsTextAnswer),
 * else the first free-text answer; NULL when there is none.  Borrowed
 * from SV. */
const char *genesys_survey_text(const cJSON *sv);

#endif
