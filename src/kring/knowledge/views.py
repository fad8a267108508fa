from django.http import HttpResponse


def item_list_view(request, slug):
    return HttpResponse("todo")


def item_detail_view(request, slug, pk):
    return HttpResponse("todo")
