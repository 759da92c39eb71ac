import { BatchIdParams, CreateBatchBody, FileIdParams, ListBatchesQuery, ListFilesQuery } from '@inferq/core';
import type { ApiDeps } from '../deps';
import { defineRoute } from '../route';
import type { Route } from '../route';
import { BATCH_ROUTE_DOCS as DOCS } from './batch-route-docs';
import { cancelBatchHandler, createBatchHandler, getBatchHandler, listBatchesHandler } from './batches.handlers';
import {
  deleteFileHandler,
  fileContentHandler,
  getFileHandler,
  listFilesHandler,
  uploadFileHandler,
} from './files.handlers';

/** The Batch API (SPEC section 11): files and batches, OpenAI compatible. */
export function batchRoutes(deps: ApiDeps): Route[] {
  const auth = 'tenant' as const;
  return [
    defineRoute({
      errorStyle: 'openai',
      method: 'POST',
      path: '/v1/files',
      auth,
      handler: uploadFileHandler(deps),
      doc: DOCS.uploadFile,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'GET',
      path: '/v1/files',
      auth,
      query: ListFilesQuery,
      handler: listFilesHandler(deps),
      doc: DOCS.listFiles,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'GET',
      path: '/v1/files/{id}',
      auth,
      params: FileIdParams,
      handler: getFileHandler(deps),
      doc: DOCS.getFile,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'GET',
      path: '/v1/files/{id}/content',
      auth,
      params: FileIdParams,
      handler: fileContentHandler(deps),
      doc: DOCS.fileContent,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'DELETE',
      path: '/v1/files/{id}',
      auth,
      params: FileIdParams,
      handler: deleteFileHandler(deps),
      doc: DOCS.deleteFile,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'POST',
      path: '/v1/batches',
      auth,
      body: CreateBatchBody,
      handler: createBatchHandler(deps),
      doc: DOCS.createBatch,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'GET',
      path: '/v1/batches',
      auth,
      query: ListBatchesQuery,
      handler: listBatchesHandler(deps),
      doc: DOCS.listBatches,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'GET',
      path: '/v1/batches/{id}',
      auth,
      params: BatchIdParams,
      handler: getBatchHandler(deps),
      doc: DOCS.getBatch,
    }),
    defineRoute({
      errorStyle: 'openai',
      method: 'POST',
      path: '/v1/batches/{id}/cancel',
      auth,
      params: BatchIdParams,
      handler: cancelBatchHandler(deps),
      doc: DOCS.cancelBatch,
    }),
  ];
}
