// Styles, from a training set to earnings: training sets, training and the quiz, publishing,
// moderation, the community library's creators and profiles, verification and earnings.
import { Page } from '../credits';
import {
  AddTrainingImageBody,
  CreateStyleBody,
  CreateTrainingSetBody,
  CreatorPage,
  Earnings,
  ExampleParams,
  HandleParam,
  ModerationBody,
  ModerationList,
  ModerationQuery,
  ModerationReview,
  Profile,
  PublishBody,
  QuizBody,
  QuizResult,
  Style,
  TrainingImage,
  TrainingImageParams,
  TrainingSet,
  TrainingSetSummary,
  UpdateProfileBody,
  UpdateTrainingImageBody,
  VerifyBody,
} from '../styles';
import { bodyProblems, defineRoute, IdempotencyHeader, IdParam, json, jsonBody, noContent, problems, signedIn } from './define';

const binary = { type: 'string', format: 'binary' } as const;
const previewImage = (description: string) => ({ description, content: { 'image/jpeg': { schema: binary }, 'image/png': { schema: binary } } });
const publicRead: Record<string, string[]>[] = [{}];

// ---- Training sets ---------------------------------------------------------------------

export const createTrainingSet = defineRoute({
  method: 'post',
  path: '/v1/training-sets',
  tags: ['styles'],
  summary: 'Start a training set',
  security: signedIn,
  request: { body: jsonBody(CreateTrainingSetBody, { name: 'Harbour studies' }) },
  responses: { 201: json(TrainingSet, 'The empty set'), ...problems(...bodyProblems, 'unauthorized') },
});

export const trainingSets = defineRoute({
  method: 'get',
  path: '/v1/training-sets',
  tags: ['styles'],
  summary: 'Your training sets',
  security: signedIn,
  responses: { 200: json(Page(TrainingSetSummary), 'Your sets, newest first'), ...problems('unauthorized') },
});

export const trainingSet = defineRoute({
  method: 'get',
  path: '/v1/training-sets/{id}',
  tags: ['styles'],
  summary: 'One training set: its images with warnings, whether it is ready, and what training costs',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(TrainingSet, 'The set'), ...problems('unauthorized', 'not_found') },
});

export const addTrainingImage = defineRoute({
  method: 'post',
  path: '/v1/training-sets/{id}/images',
  tags: ['styles'],
  summary: 'Add one of your images, with a short description (refused in words if it would train badly)',
  security: signedIn,
  request: { params: IdParam, body: jsonBody(AddTrainingImageBody, { image_id: 'img_01', description: 'harbour at dusk, boats' }) },
  responses: { 201: json(TrainingImage, 'Added, with its warnings'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'not_licensed') },
});

export const updateTrainingImage = defineRoute({
  method: 'patch',
  path: '/v1/training-sets/{id}/images/{image_id}',
  tags: ['styles'],
  summary: 'Change an image’s description',
  security: signedIn,
  request: { params: TrainingImageParams, body: jsonBody(UpdateTrainingImageBody, { description: 'harbour at dusk, two boats' }) },
  responses: { 200: json(TrainingImage, 'The image as it now is'), ...problems(...bodyProblems, 'unauthorized', 'not_found') },
});

export const removeTrainingImage = defineRoute({
  method: 'delete',
  path: '/v1/training-sets/{id}/images/{image_id}',
  tags: ['styles'],
  summary: 'Take an image out of the set (the image stays yours)',
  security: signedIn,
  request: { params: TrainingImageParams },
  responses: { 204: noContent('Removed'), ...problems('unauthorized', 'not_found') },
});

// ---- Styles ----------------------------------------------------------------------------

export const createStyle = defineRoute({
  method: 'post',
  path: '/v1/styles',
  tags: ['styles'],
  summary: 'Train a Style from a ready set, public or private (credits held, settled when training ends)',
  security: signedIn,
  request: { headers: IdempotencyHeader, body: jsonBody(CreateStyleBody, { training_set_id: 'tst_01', name: 'Dusk Harbour', visibility: 'public' }) },
  responses: { 202: json(Style, 'Training (or, for a repeated Idempotency-Key, the first answer)'), ...problems(...bodyProblems, 'unauthorized', 'insufficient_credits', 'not_found', 'conflict') },
});

export const listStyles = defineRoute({
  method: 'get',
  path: '/v1/styles',
  tags: ['styles'],
  summary: 'Your Styles with status, quiz, moderation, verification progress and earnings',
  security: signedIn,
  responses: { 200: json(Page(Style), 'Your Styles, newest first'), ...problems('unauthorized') },
});

export const getStyle = defineRoute({
  method: 'get',
  path: '/v1/styles/{id}',
  tags: ['styles'],
  summary: 'One of your Styles',
  security: signedIn,
  request: { params: IdParam },
  responses: { 200: json(Style, 'The Style'), ...problems('unauthorized', 'not_found') },
});

export const scoreQuiz = defineRoute({
  method: 'post',
  path: '/v1/styles/{id}/quiz',
  tags: ['styles'],
  summary: 'Score every quiz sample 1 to 5: a good average passes, a poor one offers a free retrain',
  security: signedIn,
  request: { params: IdParam, body: jsonBody(QuizBody, { scores: [{ image_id: 'img_01', score: 4 }] }) },
  responses: { 200: json(QuizResult, 'The outcome'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'conflict') },
});

export const retrainStyle = defineRoute({
  method: 'post',
  path: '/v1/styles/{id}/retrain',
  tags: ['styles'],
  summary: 'Train a new version (free after a failed quiz or a rejection)',
  security: signedIn,
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: { 202: json(Style, 'Training the new version'), ...problems('unauthorized', 'insufficient_credits', 'not_found', 'conflict', 'validation_failed') },
});

export const publishStyle = defineRoute({
  method: 'post',
  path: '/v1/styles/{id}/publish',
  tags: ['styles'],
  summary: 'Submit a public Style that passed its quiz for moderation',
  security: signedIn,
  request: { params: IdParam, body: jsonBody(PublishBody, { title: 'Dusk Harbour', title_image_id: 'img_01', example_image_ids: ['img_02'], copyright_status: 'own_work' }) },
  responses: { 200: json(Style, 'In moderation'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'conflict') },
});

export const verifyStyle = defineRoute({
  method: 'post',
  path: '/v1/styles/{id}/verify',
  tags: ['styles'],
  summary: 'Attest the copyright status of an eligible public Style: from then on its images can be licensed',
  security: signedIn,
  request: { params: IdParam, body: jsonBody(VerifyBody, { attestation: true }) },
  responses: { 200: json(Style, 'Verified'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'conflict') },
});

export const earnings = defineRoute({
  method: 'get',
  path: '/v1/earnings',
  tags: ['styles'],
  summary: 'Your earnings from licenses sold on your verified Styles: total, per Style and per day',
  security: signedIn,
  responses: { 200: json(Earnings, 'Your earnings'), ...problems('unauthorized') },
});

// ---- Moderation ------------------------------------------------------------------------

export const moderationQueue = defineRoute({
  method: 'get',
  path: '/v1/moderation',
  tags: ['moderation'],
  summary: 'Public Styles waiting for a decision (moderators)',
  security: signedIn,
  request: { query: ModerationQuery },
  responses: { 200: json(ModerationList, 'Pending Styles, oldest first'), ...problems('unauthorized', 'forbidden', 'validation_failed') },
});

export const moderate = defineRoute({
  method: 'post',
  path: '/v1/moderation/{id}',
  tags: ['moderation'],
  summary: 'Accept a pending Style, or reject it for a reason (moderators); the creator is mailed the result',
  security: signedIn,
  request: { params: IdParam, body: jsonBody(ModerationBody, { decision: 'reject', reason: 'inconsistent_style', note: 'The samples do not share a look.' }) },
  responses: { 200: json(ModerationReview, 'The decision, recorded'), ...problems(...bodyProblems, 'unauthorized', 'forbidden', 'not_found', 'conflict') },
});

export const moderationImage = defineRoute({
  method: 'get',
  path: '/v1/moderation/{id}/images/{image_id}',
  tags: ['moderation'],
  summary: 'A training image, quiz sample or example of a pending Style, as a preview (moderators)',
  security: signedIn,
  request: { params: ExampleParams },
  responses: { 200: previewImage('The preview'), ...problems('unauthorized', 'forbidden', 'not_found') },
});

// ---- Library, creators and profiles ----------------------------------------------------

export const styleExample = defineRoute({
  method: 'get',
  path: '/v1/models/{id}/examples/{image_id}',
  tags: ['models'],
  summary: 'A published Style’s title image or example, as its public preview (watermarked where its policy says)',
  security: publicRead,
  request: { params: ExampleParams },
  responses: { 200: previewImage('The preview'), ...problems('not_found') },
});

export const creator = defineRoute({
  method: 'get',
  path: '/v1/creators/{handle}',
  tags: ['models'],
  summary: 'A creator’s public profile and published Styles',
  security: publicRead,
  request: { params: HandleParam },
  responses: { 200: json(CreatorPage, 'The creator'), ...problems('not_found') },
});

export const creatorAvatar = defineRoute({
  method: 'get',
  path: '/v1/creators/{handle}/avatar',
  tags: ['models'],
  summary: 'A creator’s avatar (a 256 px thumbnail)',
  security: publicRead,
  request: { params: HandleParam },
  responses: { 200: previewImage('The avatar'), ...problems('not_found') },
});

export const profile = defineRoute({
  method: 'get',
  path: '/v1/profile',
  tags: ['account'],
  summary: 'Your public profile',
  security: signedIn,
  responses: { 200: json(Profile, 'Your profile'), ...problems('unauthorized') },
});

export const updateProfile = defineRoute({
  method: 'patch',
  path: '/v1/profile',
  tags: ['account'],
  summary: 'Change your handle, display name, bio, avatar or links',
  security: signedIn,
  request: { body: jsonBody(UpdateProfileBody, { display_name: 'Mira Okafor', bio: 'Harbour painter.' }) },
  responses: { 200: json(Profile, 'Your profile as it now is'), ...problems(...bodyProblems, 'unauthorized', 'not_found', 'conflict') },
});

export const trainingSetRoutes = { createTrainingSet, trainingSets, trainingSet, addTrainingImage, updateTrainingImage, removeTrainingImage } as const;
export const styleLifecycleRoutes = { createStyle, listStyles, getStyle, scoreQuiz, retrainStyle, publishStyle, verifyStyle, earnings } as const;
export const moderationRoutes = { moderationQueue, moderate, moderationImage } as const;
export const creatorRoutes = { styleExample, creator, creatorAvatar, profile, updateProfile } as const;
